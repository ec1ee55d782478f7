package io.segmatch.live.boundary;

import io.segmatch.live.store.LiveSnapshots;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;

/** Reads the live console's state: committed data only, outside any transaction. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LiveState {

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    public LiveSnapshots.Snapshot snapshot() {
        return Jdbc.run(dataSource, LiveSnapshots::read);
    }
}
