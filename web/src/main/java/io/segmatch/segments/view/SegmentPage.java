package io.segmatch.segments.view;

import io.segmatch.access.control.Role;
import io.segmatch.activation.boundary.Activation;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.membership.store.MemberHistory;
import io.segmatch.membership.store.MemberPages;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.segments.api.MemberChart;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.segments.entity.Segment;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.shared.error.SegmatchException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * One segment ({@code /segments/view.xhtml?id=…}): its state, its members (paged by key,
 * searchable by the start of a key), its recent enters and exits, the runs that changed it, and
 * its syncs to each destination.
 */
@Named
@RequestScoped
public class SegmentPage {

    static final int PAGE = 50;

    @Inject
    Segments segments;
    @Inject
    Datasets datasets;
    @Inject
    Activation activation;

    private String id;
    private String after;
    private String prefix;
    private Segment segment;
    private String datasetName;
    private String ruleText;
    private List<MemberPages.Member> members = List.of();
    private String next;
    private List<MemberPages.Change> changes = List.of();
    private List<ProcessingRuns.Run> runs = List.of();
    private List<SyncRuns.Run> syncs = List.of();
    private List<SyncRuns.Run> metaSyncs = List.of();
    private List<MemberHistory.Point> history = List.of();

    /** Loads everything once ({@code f:viewAction}); an unknown id answers 404. */
    public void load() throws IOException {
        try {
            segment = id == null ? null : segments.get(id);
        } catch (SegmatchException e) {
            segment = null;
        }
        if (segment == null) {
            FacesContext.getCurrentInstance().getExternalContext().responseSendError(404, "no such segment");
            FacesContext.getCurrentInstance().responseComplete();
            return;
        }
        Dataset dataset = datasets.get(segment.getDatasetId());
        datasetName = dataset.getName();
        Map<String, ColumnType> types = new HashMap<>();
        dataset.getColumns().forEach(c -> types.put(c.getName(), c.getType()));
        try (var reader = JSON.createReader(new StringReader(segment.getConditionsJson()))) {
            ruleText = RuleText.of(RuleRequest.of(segment.getLogic().name(), reader.readArray()), types, other -> {
                try {
                    return segments.get(other).getName();
                } catch (SegmatchException e) {
                    return null;
                }
            });
        }
        String from = after == null || after.isEmpty() ? null : after;
        String starting = prefix == null || prefix.isBlank() ? null : prefix.trim();
        // member keys are personal data: editors and admins only
        if (FacesContext.getCurrentInstance().getExternalContext().isUserInRole(Role.Names.EDITOR)) {
            List<MemberPages.Member> page = segments.members(id, from, starting, PAGE);
            members = page.stream().limit(PAGE).toList();
            next = page.size() > PAGE ? members.get(PAGE - 1).key() : null;
            List<MemberPages.Change> recent = segments.changes(id, 0, 20, true);
            changes = recent.stream().limit(20).toList();
        }
        runs = segments.runs(id, 10);
        syncs = activation.runs(id, Destination.GOOGLE_ADS, 10);
        metaSyncs = activation.runs(id, Destination.META, 10);
        history = segments.history(id, 200);
    }

    /** The chart's description in words (its alternative text). */
    public String getHistorySummary() {
        return MemberChart.summary(history);
    }

    /** The newest runs that changed the segment, newest first (the chart's numbers). */
    public List<MemberHistory.Point> getRecentHistory() {
        List<MemberHistory.Point> recent = new ArrayList<>(
                history.subList(Math.max(0, history.size() - 10), history.size()));
        Collections.reverse(recent);
        return recent;
    }

    /** The segment's last Customer Match syncs, newest first. */
    public List<SyncRuns.Run> getSyncs() {
        return syncs;
    }

    /** The segment's last Meta syncs, newest first. */
    public List<SyncRuns.Run> getMetaSyncs() {
        return metaSyncs;
    }

    /** A sync in plain words, for the segment page. */
    public String describe(SyncRuns.Run r) {
        boolean meta = r.destination() == Destination.META;
        String list = meta ? "audience" : "list";
        StringBuilder s = new StringBuilder();
        switch (r.status()) {
            case FAILED -> s.append("Failed: ").append(r.error()).append('.');
            case WAITING -> s.append(meta ? "Waiting: " + r.error() + "."
                    : "Google is still processing the last upload; changes wait for it.");
            case RUNNING -> s.append("Syncing now.");
            default -> s.append(r.plannedAdds() + r.plannedRemoves() == 0 && r.added() + r.removed() == 0
                    ? "In step: nothing to send." : "Done.");
        }
        if (r.sent() > 0) {
            s.append(' ').append(r.sent()).append(r.sent() == 1 ? " person sent" : " people sent");
            // a sync that planned nothing sent the next job of an earlier sync's plan (either kind)
            s.append(r.plannedRemoves() > 0 ? " for removal." : r.plannedAdds() > 0 ? " to add."
                    : " (the next job of an earlier sync's plan).");
        }
        if (r.added() > 0) {
            s.append(' ').append(r.added()).append(" added to the ").append(list).append('.');
        }
        if (r.removed() > 0) {
            s.append(' ').append(r.removed()).append(" removed from the ").append(list).append('.');
        }
        if (meta && r.invalidEntries() > 0) {
            s.append(" Meta could not use ").append(r.invalidEntries()).append(r.invalidEntries() == 1 ? " row" : " rows")
                    .append(" (wrongly formatted identifiers).");
        } else if (!meta && r.rejected() > 0) {
            s.append(' ').append(r.rejected()).append(" refused by Google ").append(r.rejectedCodes()).append('.');
        }
        if (r.skipped() > 0) {
            s.append(' ').append(r.skipped()).append(r.skipped() == 1 ? " member has" : " members have")
                    .append(meta ? " no usable email, phone or full name and cannot be sent."
                            : " no usable email, phone or full address and cannot be sent.");
        }
        if (r.listSize() != null) {
            s.append(meta ? " Meta reports the audience at " + r.listSize() + " people or more."
                    : " Google reports the list at " + r.listSize() + " people"
                    + (r.matchRate() == null ? "" : ", match rate " + r.matchRate() + "%") + ".");
        }
        return s.toString();
    }

    public Segment getSegment() {
        return segment;
    }

    /** The rule as a sentence: "country is DE and (plan is pro or member of “High value”)". */
    public String getRuleText() {
        return ruleText;
    }

    public String getDatasetName() {
        return datasetName;
    }

    public List<MemberPages.Member> getMembers() {
        return members;
    }

    public String getNext() {
        return next;
    }

    public List<MemberPages.Change> getChanges() {
        return changes;
    }

    public List<ProcessingRuns.Run> getRuns() {
        return runs;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getAfter() {
        return after;
    }

    public void setAfter(String after) {
        this.after = after;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }
}
