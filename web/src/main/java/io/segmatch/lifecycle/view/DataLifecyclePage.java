package io.segmatch.lifecycle.view;

import io.segmatch.access.control.Role;
import io.segmatch.access.view.Me;
import io.segmatch.lifecycle.boundary.HistoryAdmin;
import io.segmatch.lifecycle.boundary.PersonErasure;
import io.segmatch.lifecycle.store.Erasures;
import io.segmatch.lifecycle.store.HistoryPurges;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.List;

/**
 * {@code /admin/data.xhtml}: forgetting a person (erasure requests, never their data) and how
 * long history is kept, with a purge on demand.
 */
@Named
@ViewScoped
public class DataLifecyclePage implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    transient PersonErasure erasure;

    @Inject
    transient HistoryAdmin history;

    private String matchBy = "email";
    private String value;
    private String datasetId;
    private List<Erasures.Erasure> erasures = List.of();
    private long retentionDays;
    private HistoryPurges.Purge lastPurge;

    @PostConstruct
    void load() {
        erasures = erasure.recent(50);
        var state = history.state();
        retentionDays = state.retention().toDays();
        lastPurge = state.lastPurge().orElse(null);
    }

    public void erase() {
        if (!Me.allowed(Role.Names.ADMIN)) {
            return;
        }
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            String dataset = datasetId == null || datasetId.isBlank() ? null : datasetId.trim();
            var done = erasure.erase(new PersonErasure.Request(dataset, matchBy.equals("key") ? value : null,
                    matchBy.equals("email") ? value : null, matchBy.equals("phone") ? value : null));
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, done.rowsErased() == 0
                    ? "Nobody matched: nothing was erased."
                    : done.rowsErased() + " row(s) erased in " + done.datasets() + " dataset(s); request " + done.id()
                    + " completes once Google has removed the person.", null));
            value = null;
        } catch (SegmatchException e) {
            String text = e.errors().isEmpty() ? e.getMessage()
                    : e.errors().stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("");
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
        }
        load();
    }

    public void purge() {
        if (!Me.allowed(Role.Names.ADMIN)) {
            return;
        }
        var p = history.purgeNow();
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                "History purged: " + p.logEntries() + " enter/exit entries, " + p.processingRuns() + " runs, " + p.syncs()
                        + " syncs, " + p.syncJobs() + " sync jobs.", null));
        load();
    }

    public List<String> getMatchKinds() {
        return List.of("email", "phone", "key");
    }

    public String getMatchBy() {
        return matchBy;
    }

    public void setMatchBy(String matchBy) {
        this.matchBy = matchBy;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public String getDatasetId() {
        return datasetId;
    }

    public void setDatasetId(String datasetId) {
        this.datasetId = datasetId;
    }

    public List<Erasures.Erasure> getErasures() {
        return erasures;
    }

    public long getRetentionDays() {
        return retentionDays;
    }

    public HistoryPurges.Purge getLastPurge() {
        return lastPurge;
    }
}
