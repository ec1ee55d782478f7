package io.segmatch.membership.batch;

import io.segmatch.membership.evaluation.ChangedRow;
import io.segmatch.membership.store.ChangeChunks;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads pending changes in (dataset, key) order, a chunk's worth at a time, inside the
 * chunk's transaction (the changes stay locked until it commits). The checkpoint is the last
 * (dataset, key) read: a restarted execution goes on after it, and the changes before it
 * were consumed by the chunks that committed.
 */
@Named("changedRowReader")
@Dependent
public class ChangedRowReader extends AbstractItemReader {

    @Inject
    @BatchProperty
    String chunkSize;

    @Inject
    JobContext job;

    @Resource(lookup = "java:global/jdbc/segmatch")
    DataSource dataSource;

    private ChangeChunks.Position position;
    private final Deque<ChangedRow> page = new ArrayDeque<>();
    private boolean exhausted;

    @Override
    public void open(Serializable checkpoint) {
        position = (ChangeChunks.Position) checkpoint;
    }

    @Override
    public Object readItem() throws Exception {
        if (page.isEmpty()) {
            if (exhausted) {
                return null;
            }
            int size = chunkSize == null || chunkSize.isBlank() ? 1000 : Integer.parseInt(chunkSize.trim());
            long t0 = System.nanoTime();
            ChangeChunks.Position after = position;
            List<ChangedRow> rows = Jdbc.run(dataSource, c -> ChangeChunks.claim(c, after, size));
            page.addAll(rows);
            exhausted = rows.size() < size;
            RunTally.of(job).readNanos.addAndGet(System.nanoTime() - t0);
            if (page.isEmpty()) {
                return null;
            }
        }
        ChangedRow row = page.poll();
        position = new ChangeChunks.Position(row.datasetId(), row.key());
        return row;
    }

    @Override
    public Serializable checkpointInfo() {
        return position;
    }
}
