package io.segmatch.shared.control;

import io.segmatch.datasets.entity.Upload;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import io.segmatch.shared.metrics.Series;
import io.segmatch.shared.metrics.ServerMeasurements;

/**
 * The application's metrics of ingestion (docs/operations.md lists them all).
 * Counted only once the transaction that wrote the rows has committed.
 */
@ApplicationScoped
public class Meters {

    static final Series ROWS = Series.of("segmatch_rows_ingested",
            "Customer rows received through uploads and row writes, by what happened to them "
                    + "(inserted, updated, unchanged, deleted)", "change");

    @Inject
    ServerMeasurements measurements;

    @Resource
    TransactionSynchronizationRegistry transactions;

    /** An upload's rows, by outcome. */
    public void uploaded(Upload.Counts counts) {
        afterCommit(() -> {
            rows("inserted", counts.inserted());
            rows("updated", counts.updated());
            rows("unchanged", counts.unchanged());
            rows("deleted", counts.deleted());
        });
    }

    /** One row written through the rows API: {@code inserted}, {@code updated}, {@code unchanged} or {@code deleted}. */
    public void rowWritten(String change) {
        afterCommit(() -> rows(change, 1));
    }

    private void rows(String change, long n) {
        measurements.count(ROWS, n, change);
    }

    private void afterCommit(Runnable count) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            count.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    count.run();
                }
            }
        });
    }
}
