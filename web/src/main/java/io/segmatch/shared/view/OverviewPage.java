package io.segmatch.shared.view;

import io.segmatch.live.boundary.LiveState;
import io.segmatch.live.store.LiveSnapshots;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

/**
 * The console's home page, the dashboard ({@code /index.xhtml}): every segment with its count,
 * status and times, the pending changes and whether a run is in progress — rendered from the
 * same state the live stream sends, which then keeps it current in the browser.
 */
@Named
@RequestScoped
public class OverviewPage {

    @Inject
    LiveState live;

    private LiveSnapshots.Snapshot state;

    @PostConstruct
    void load() {
        state = live.snapshot();
    }

    public long getDatasets() {
        return state.datasets();
    }

    public long getRows() {
        return state.rows();
    }

    public List<LiveSnapshots.SegmentState> getSegments() {
        return state.segments();
    }

    public long getPendingChanges() {
        return state.pendingChanges();
    }

    public boolean isProcessing() {
        return state.processing();
    }

    public boolean isSyncing() {
        return state.syncing();
    }
}
