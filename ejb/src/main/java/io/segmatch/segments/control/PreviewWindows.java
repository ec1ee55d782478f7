package io.segmatch.segments.control;

import io.segmatch.datasets.store.RowStore;
import io.segmatch.segments.store.RowWindow;
import jakarta.enterprise.context.ApplicationScoped;

import java.lang.ref.SoftReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first {@value #SIZE} rows (in key order) of the datasets being previewed, kept in
 * memory: a marketer editing a rule previews the same rows again and again, and evaluating
 * them in Java takes a millisecond where reading and evaluating them in PostgreSQL takes
 * tens. A window is tagged with the dataset's {@linkplain io.segmatch.datasets.entity.Dataset#getRowVersion()
 * row version} read <em>before</em> the rows, so its rows are never older than its tag; any
 * row change increments the version and the next preview reads the rows again. At most
 * {@value #DATASETS} windows are kept (least recently used go first), and the garbage
 * collector may drop them under memory pressure.
 */
@ApplicationScoped
public class PreviewWindows {

    /** The rows a window holds: the default preview's scan. */
    public static final int SIZE = 10_000;
    static final int DATASETS = 4;

    private static final AtomicLong CLOCK = new AtomicLong();

    private static final class Window {
        final long version;
        final RowWindow rows;
        volatile long lastUsed = CLOCK.incrementAndGet();

        Window(long version, RowWindow rows) {
            this.version = version;
            this.rows = rows;
        }
    }

    private final Map<String, SoftReference<Window>> windows = new ConcurrentHashMap<>();
    private final RowStore store = new RowStore();

    /**
     * The dataset's first {@value #SIZE} rows, from memory when the window is tagged with
     * {@code rowVersion}, else read with {@code c} (then tagged with it).
     *
     * @param rowVersion the dataset's row version, read before this call
     */
    public RowWindow firstRows(Connection c, String datasetId, long rowVersion) throws SQLException {
        SoftReference<Window> ref = windows.get(datasetId);
        Window window = ref == null ? null : ref.get();
        if (window != null && window.version == rowVersion) {
            window.lastUsed = CLOCK.incrementAndGet();
            return window.rows;
        }
        RowWindow rows = new RowWindow(store.page(c, datasetId, null, SIZE));
        windows.put(datasetId, new SoftReference<>(new Window(rowVersion, rows)));
        evict();
        return rows;
    }

    private void evict() {
        windows.values().removeIf(ref -> ref.get() == null);
        while (windows.size() > DATASETS) {
            windows.entrySet().stream()
                    .min(Comparator.comparingLong(e -> {
                        Window w = e.getValue().get();
                        return w == null ? Long.MIN_VALUE : w.lastUsed;
                    }))
                    .ifPresent(e -> windows.remove(e.getKey(), e.getValue()));
        }
    }
}
