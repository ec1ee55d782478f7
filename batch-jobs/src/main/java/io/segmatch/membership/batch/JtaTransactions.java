package io.segmatch.membership.batch;

import io.segmatch.shared.store.Transactions;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;

import java.sql.Connection;
import javax.sql.DataSource;

/**
 * Work in a JTA transaction of its own, for the batchlet steps that commit segment by
 * segment (a batchlet runs outside the chunk transactions of the batch runtime).
 */
@Dependent
public class JtaTransactions implements Transactions {

    @Inject
    UserTransaction transaction;

    @Resource(lookup = "java:global/jdbc/segmatch")
    DataSource dataSource;

    @Override
    public <T> T run(Work<T> work) throws Exception {
        boolean own = transaction.getStatus() == Status.STATUS_NO_TRANSACTION;
        if (own) {
            transaction.begin();
        }
        T result;
        try (Connection c = dataSource.getConnection()) {
            result = work.apply(c);
        } catch (Exception | Error e) {
            if (own) {
                try {
                    transaction.rollback();
                } catch (Exception ignored) {
                    // the original failure is what matters
                }
            }
            throw e;
        }
        if (own) {
            transaction.commit();
        }
        return result;
    }
}
