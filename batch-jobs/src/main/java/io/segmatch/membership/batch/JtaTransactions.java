package io.segmatch.membership.batch;

import io.segmatch.shared.store.Transactions;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.time.Duration;
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

    /** The default of {@code segmatch.transaction-timeout}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

    @Override
    public <T> T run(Work<T> work) throws Exception {
        boolean own = transaction.getStatus() == Status.STATUS_NO_TRANSACTION;
        if (own) {
            // the server's or the batch runtime's default (180 s for a batch step's thread on
            // Payara, 300 s on WildFly) would roll back a rebuild of ten segments over ten
            // million rows, one transaction of three and a half minutes on a slow machine
            transaction.setTransactionTimeout(timeoutSeconds());
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

    /**
     * {@code segmatch.transaction-timeout}: the longest one step of a processing run or sync may
     * hold its transaction before it is rolled back (an ISO-8601 duration; at least a second).
     */
    static int timeoutSeconds() {
        Duration timeout = ConfigProvider.getConfig().getOptionalValue("segmatch.transaction-timeout", String.class)
                .map(String::trim).filter(v -> !v.isEmpty()).map(Duration::parse).orElse(DEFAULT_TIMEOUT);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    }
}
