package io.segmatch.access.view;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.access.store.AuditLog;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

/** {@code /admin/audit.xhtml?after=ID}: the audit log, 100 entries a page, newest first. */
@Named
@RequestScoped
public class AuditPage {

    static final int PAGE = 100;

    @Inject
    AuditTrail audit;

    private String after;
    private List<AuditLog.Entry> entries = List.of();

    public void load() {
        Long before = null;
        try {
            before = after == null || after.isBlank() ? null : Long.valueOf(after.trim());
        } catch (NumberFormatException e) {
            before = null;
        }
        entries = audit.page(before, PAGE + 1);
    }

    public List<AuditLog.Entry> getEntries() {
        return entries.stream().limit(PAGE).toList();
    }

    /** The id to continue below, when there are older entries. */
    public Long getOlder() {
        return entries.size() > PAGE ? entries.get(PAGE - 1).id() : null;
    }

    public String getAfter() {
        return after;
    }

    public void setAfter(String after) {
        this.after = after;
    }
}
