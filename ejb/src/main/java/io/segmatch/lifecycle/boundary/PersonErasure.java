package io.segmatch.lifecycle.boundary;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.activation.identifiers.Normalization;
import io.segmatch.datasets.control.RowValues;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.store.RowStore;
import io.segmatch.lifecycle.store.Erasures.RowRef;
import io.segmatch.lifecycle.store.Erasures;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * "Forget this person": deletes their rows in every dataset (or one), found by key or by the
 * normalised email or phone in the columns that hold those identifier roles. The deletions are
 * ordinary row deletions — the membership run records the person's exits and the next sync
 * removes them from every Customer Match list with the identifiers Google acknowledged — and
 * the request completes once that is done ({@link Erasures}). One transaction: all or nothing.
 */
@Stateless
public class PersonErasure {

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail audit;

    private final RowStore rows = new RowStore();

    /** Who to erase: exactly one of key, email and phone; optionally limited to one dataset. */
    public record Request(String datasetId, String key, String email, String phone) {
    }

    public Erasures.Erasure erase(Request request) {
        List<FieldError> errors = new ArrayList<>();
        long given = Stream.of(request.key(), request.email(), request.phone())
                .filter(v -> v != null && !v.isBlank()).count();
        if (given != 1) {
            errors.add(FieldError.field("key", "give exactly one of key, email and phone"));
            throw SegmatchException.invalid("invalid-erasure", "give exactly one of key, email and phone", errors);
        }
        List<Dataset> datasets;
        if (request.datasetId() != null && !request.datasetId().isBlank()) {
            Dataset d = em.find(Dataset.class, request.datasetId());
            if (d == null) {
                throw SegmatchException.notFound("dataset-not-found", "no dataset " + request.datasetId());
            }
            datasets = List.of(d);
        } else {
            datasets = em.createNamedQuery(Dataset.ALL, Dataset.class).getResultList();
        }
        String matchedBy = request.key() != null && !request.key().isBlank() ? "key"
                : request.email() != null && !request.email().isBlank() ? "email" : "phone";
        String wantedEmail = matchedBy.equals("email") ? Normalization.email(request.email(), false) : null;
        String wantedGmail = matchedBy.equals("email") ? Normalization.email(request.email(), true) : null;
        if (matchedBy.equals("email") && wantedEmail == null) {
            throw SegmatchException.invalid("invalid-erasure", "email is not an email address",
                    List.of(FieldError.field("email", "not an email address")));
        }
        Instant now = Instant.now();
        List<RowRef> erased = new ArrayList<>();
        for (Dataset listed : datasets) {
            Dataset d = em.find(Dataset.class, listed.getId(), LockModeType.PESSIMISTIC_WRITE);
            if (d == null) {
                continue;
            }
            List<String> keys = switch (matchedBy) {
                case "key" -> {
                    String key = RowValues.key(d, request.key(), false);
                    yield Jdbc.run(dataSource, c -> rows.find(c, d.getId(), key).isPresent() ? List.of(key) : List.of());
                }
                case "email" -> matching(d, "email", v -> {
                    String e = Normalization.email(v, false);
                    return e != null && (e.equals(wantedEmail) || Objects.equals(Normalization.email(v, true), wantedGmail));
                });
                default -> {
                    String region = d.getIdentifiers().getDefaultPhoneRegion();
                    String wanted = Normalization.phone(request.phone(), region);
                    if (wanted == null) {
                        throw SegmatchException.invalid("invalid-erasure", "phone is not a phone number"
                                + (region == null ? " in international form (+ and the country code)" : ""),
                                List.of(FieldError.field("phone", "not a phone number")));
                    }
                    yield matching(d, "phone", v -> wanted.equals(Normalization.phone(v, region)));
                }
            };
            if (keys.isEmpty()) {
                continue;
            }
            Jdbc.run(dataSource, c -> {
                for (String key : keys) {
                    rows.delete(c, d.getId(), key, now);
                }
                return ProcessingRuns.request(c, "rows of dataset " + d.getId() + " were erased");
            });
            d.addRows(-keys.size(), now);
            keys.forEach(k -> erased.add(new RowRef(d.getId(), k)));
        }
        long id = Jdbc.run(dataSource, c -> Erasures.record(c, audit.caller(), matchedBy, erased));
        // never the person's data: what was matched on, and how many rows
        audit.record("erasure.requested", "erasure/" + id, erased.size() + " row(s) in "
                + erased.stream().map(RowRef::datasetId).distinct().count() + " dataset(s), matched by " + matchedBy);
        return Jdbc.run(dataSource, c -> Erasures.find(c, id)).orElseThrow();
    }

    public List<Erasures.Erasure> recent(int limit) {
        return Jdbc.run(dataSource, c -> Erasures.recent(c, limit));
    }

    public Optional<Erasures.Erasure> find(long id) {
        return Jdbc.run(dataSource, c -> Erasures.find(c, id));
    }

    /** The keys of a dataset's rows whose column for {@code role} holds a value the test accepts. */
    private List<String> matching(Dataset d, String role, Predicate<String> test) {
        String column = d.getIdentifiers().column(role);
        if (column == null) {
            return List.of();
        }
        return Jdbc.run(dataSource, c -> rows.keysWhere(c, d.getId(), column, test));
    }
}
