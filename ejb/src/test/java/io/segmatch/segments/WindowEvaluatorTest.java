package io.segmatch.segments;

import io.segmatch.datasets.store.StoredRow;
import io.segmatch.segments.entity.Rule;
import io.segmatch.segments.store.Preview;
import io.segmatch.segments.store.RowWindow;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared evaluator suite, run by the preview's in-memory path: rows held in a window,
 * each column parsed once, every rule evaluated over the parsed columns.
 */
class WindowEvaluatorTest extends EvaluatorContract {

    @Override
    protected Set<String> matching(Rule rule, Map<String, Map<String, String>> rows, Instant now) {
        List<StoredRow> stored = rows.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new StoredRow(e.getKey(), e.getValue(), now, now)).toList();
        RowWindow window = new RowWindow(stored);
        Set<String> keys = new HashSet<>();
        // every match, not just the sample of ten: evaluate the window one row at a time
        for (int i = 0; i < stored.size(); i++) {
            RowWindow one = new RowWindow(List.of(stored.get(i)));
            if (Preview.inMemory(one, rule, 1, now).count() == 1) {
                keys.add(stored.get(i).key());
            }
        }
        long count = Preview.inMemory(window, rule, stored.size(), now).count();
        if (count != keys.size()) {
            throw new AssertionError("the window counts " + count + " rows, one by one " + keys.size());
        }
        return keys;
    }
}
