package io.segmatch.processing.boundary;

import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.shared.control.DataSourceConfig;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** The state of incremental processing: how much captured change awaits evaluation. */
@Stateless
public class Processing {

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long pendingChanges() {
        try (Connection c = dataSource.getConnection()) {
            return PendingChanges.count(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        }
    }
}
