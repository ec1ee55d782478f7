package io.segmatch.membership;

import io.segmatch.activation.identifiers.CustomerIdentifiers;
import io.segmatch.activation.identifiers.StoredIdentifiers;
import io.segmatch.activation.store.ActivatedSegment;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.IdentifierSettings;
import io.segmatch.activation.store.JobSettlement;
import io.segmatch.activation.store.JobStatus;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.activation.store.SyncPlans;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.datasets.control.SpooledUpload;
import io.segmatch.datasets.control.UploadProcessor;
import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.datasets.store.PendingChanges;
import io.segmatch.datasets.store.RowStore;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.membership.evaluation.ChangeEvaluator;
import io.segmatch.membership.evaluation.ChangedRow;
import io.segmatch.membership.evaluation.EvaluatedRow;
import io.segmatch.membership.evaluation.SegmentRule;
import io.segmatch.membership.store.ChangeChunks;
import io.segmatch.membership.store.LiveSegments;
import io.segmatch.membership.store.MemberPages;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.membership.store.RunSteps;
import io.segmatch.membership.store.WriteSizes;
import io.segmatch.segments.evaluation.RuleEvaluator;
import io.segmatch.segments.evaluation.RuleValidator;
import io.segmatch.segments.store.SegmentReferences;
import io.segmatch.shared.store.Transactions;
import io.segmatch.testing.TestDatabase;
import io.segmatch.testing.TypedTables;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The property that must always hold: whatever happens — uploads (upsert and replace), row
 * patches and deletes, segments created, edited and deleted (their rules with groups, and
 * with memberships of other segments that edits add and remove), processing runs that complete,
 * that die midway and are restarted from their checkpoint or simply run again — once the
 * pending changes are processed, every segment's members are exactly a full evaluation of its
 * rule over the current rows (a membership condition read as the other segment's full evaluation), the enter/exit log replayed from empty gives the members (no
 * enter or exit lost or recorded twice), each destination's activation queue replayed gives the
 * members of activated segments, syncs leave each destination holding exactly the members with
 * that destination's identifiers, and member counts are right.
 */
class MembershipPropertyIT {

    /**
     * Keys, two of which Java orders differently from PostgreSQL (U+FFFD against a character
     * outside the BMP): chunk ranges must use the database's order.
     */
    static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4", "k\uFFFD", "k\uD83D\uDE00");
    static final String TODAY_MINUS_3 = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
    static final Map<String, List<String>> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("country", List.of("DE", "de", "FR", "", "AT"));
        VALUES.put("ltv", List.of("5", "50", "150", "", "1000"));
        VALUES.put("plan", List.of("free", "pro", "team", ""));
        VALUES.put("signup", List.of("2024-01-01", TODAY_MINUS_3, ""));
        VALUES.put("vip", List.of("true", "no", ""));
        // the identifier column (activated segments send it); two spellings of one address hash alike
        VALUES.put("email", List.of("ann@x.de", "Ann@X.de", "bob@y.fr", ""));
    }

    static final List<String> CONDITIONS = List.of(
            "{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"}",
            "{\"field\": \"country\", \"operator\": \"neq\", \"value\": \"DE\"}",
            "{\"field\": \"ltv\", \"operator\": \"gt\", \"value\": 100}",
            "{\"field\": \"ltv\", \"operator\": \"between\", \"value\": [10, 200]}",
            "{\"field\": \"plan\", \"operator\": \"in\", \"value\": [\"pro\", \"team\"]}",
            "{\"field\": \"plan\", \"operator\": \"not_in\", \"value\": [\"free\"]}",
            "{\"field\": \"signup\", \"operator\": \"in_last_days\", \"value\": 30}",
            "{\"field\": \"vip\", \"operator\": \"is_set\"}",
            "{\"field\": \"vip\", \"operator\": \"eq\", \"value\": true}");

    static DataSource db;

    @BeforeContainer
    static void database() {
        // thousands of short transactions: opening a connection for each would cost more than their work
        db = TestDatabase.reusing(TestDatabase.newDatabase("membership"), 4);
    }

    // ---- the operations ----

    sealed interface Op permits Upload, Patch, Delete, CreateSegment, EditSegment, DeleteSegment, Run, Sync, Toggle, Roles {
    }

    /**
     * A sync of every activated segment, Google played at the store level: the plan's job is
     * sent and Google either fails it or accepts it, refusing the person with {@code refused}
     * identifiers (an email) if any.
     */
    record Sync(boolean fail, String refused) implements Op {
    }

    /** Switches a segment's activation off, or on again. */
    record Toggle(int which) implements Op {
    }

    /** The dataset's email role: the email column, or none (the identifier settings change). */
    record Roles(boolean email) implements Op {
    }

    record Upload(boolean replace, Map<String, Map<String, String>> rows) implements Op {
    }

    record Patch(String key, String column, String value) implements Op {
    }

    record Delete(String key) implements Op {
    }

    record CreateSegment(String logic, List<String> conditions, boolean activated) implements Op {
    }

    record EditSegment(int which, String logic, List<String> conditions) implements Op {
    }

    record DeleteSegment(int which) implements Op {
    }

    /**
     * A processing run with chunks of {@code chunkSize}; if {@code dieAfter} ≥ 0 it dies
     * (its open transaction rolled back) after that many committed units of work, and is then
     * restarted from its checkpoint when {@code restart}, or left for a later run.
     */
    /** {@code bulkMinimum}: a dataset with this many pending changes is evaluated in bulk (1: always). */
    record Run(int chunkSize, int dieAfter, boolean restart, int bulkMinimum) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        return ops().list().ofMinSize(2).ofMaxSize(14);
    }

    /** One operation on the rows or segments, or a processing run. */
    Arbitrary<Op> ops() {
        Arbitrary<Map<String, String>> row = Combinators.combine(
                Arbitraries.of(VALUES.get("country")), Arbitraries.of(VALUES.get("ltv")),
                Arbitraries.of(VALUES.get("plan")), Arbitraries.of(VALUES.get("signup")),
                Arbitraries.of(VALUES.get("vip")), Arbitraries.of(VALUES.get("email"))).as((c, l, p, s, v, e) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("country", c);
                    m.put("ltv", l);
                    m.put("plan", p);
                    m.put("signup", s);
                    m.put("vip", v);
                    m.put("email", e);
                    return m;
                });
        Arbitrary<Op> upload = Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.maps(Arbitraries.of(KEYS), row).ofMinSize(1).ofMaxSize(KEYS.size()))
                .as(Upload::new);
        Arbitrary<Op> patch = Combinators.combine(Arbitraries.of(KEYS), Arbitraries.of(VALUES.keySet()),
                Arbitraries.of("DE", "FR", "", "150", "5", "pro", "free", "true", "no", TODAY_MINUS_3, "bob@y.fr", "Ann@X.de"))
                .as((k, c, v) -> new Patch(k, c, VALUES.get(c).contains(v) ? v : VALUES.get(c).get(0)));
        Arbitrary<Op> delete = Arbitraries.of(KEYS).map(Delete::new);
        // a condition, a group of one or two conditions, or a membership of an earlier segment ("REF n op")
        Arbitrary<String> group = Combinators.combine(Arbitraries.of("AND", "OR"), Arbitraries.of(CONDITIONS).list().ofMinSize(1)
                .ofMaxSize(2)).as((l, cs) -> "{\"logic\": \"" + l + "\", \"conditions\": [" + String.join(", ", cs) + "]}");
        Arbitrary<String> reference = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.of("in", "not_in"))
                .as((n, op) -> "REF " + n + " " + op);
        Arbitrary<List<String>> conditions = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, Arbitraries.of(CONDITIONS)),
                net.jqwik.api.Tuple.of(2, group), net.jqwik.api.Tuple.of(2, reference)).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<String> logic = Arbitraries.of("AND", "OR");
        Arbitrary<Op> create = Combinators.combine(logic, conditions, Arbitraries.of(true, false)).as(CreateSegment::new);
        Arbitrary<Op> edit = Combinators.combine(Arbitraries.integers().between(0, 3), logic, conditions).as(EditSegment::new);
        Arbitrary<Op> deleteSegment = Arbitraries.integers().between(0, 3).map(DeleteSegment::new);
        Arbitrary<Op> run = Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(-1, 6),
                Arbitraries.of(true, false), Arbitraries.of(1, 3, Integer.MAX_VALUE)).as(Run::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, upload), net.jqwik.api.Tuple.of(3, patch), net.jqwik.api.Tuple.of(2, delete),
                net.jqwik.api.Tuple.of(3, create), net.jqwik.api.Tuple.of(2, edit), net.jqwik.api.Tuple.of(1, deleteSegment),
                net.jqwik.api.Tuple.of(4, run));
    }

    /** People per job: one, a few (a plan's people in several jobs, sent and settled in turn), or any number. */
    @Provide
    Arbitrary<Integer> jobSizes() {
        return Arbitraries.of(1, 2, 3, SyncPlans.ANY_NUMBER, SyncPlans.ANY_NUMBER);
    }

    /** Histories with syncs among them, activation switched off and on, and the email role changed. */
    @Provide
    Arbitrary<List<Op>> syncHistories() {
        Arbitrary<Op> sync = Combinators.combine(Arbitraries.of(false, false, false, true),
                Arbitraries.of("", "", "ann@x.de", "bob@y.fr")).as((f, r) -> new Sync(f, r.isEmpty() ? null : r));
        Arbitrary<Op> toggle = Arbitraries.integers().between(0, 3).map(Toggle::new);
        Arbitrary<Op> roles = Arbitraries.of(true, true, false).map(Roles::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, ops()),
                net.jqwik.api.Tuple.of(5, sync), net.jqwik.api.Tuple.of(1, toggle), net.jqwik.api.Tuple.of(1, roles))
                .list().ofMinSize(4).ofMaxSize(20);
    }

    // ---- the property ----

    @Property(tries = 300)
    void membersAlwaysEqualAFullEvaluation(@ForAll("histories") List<Op> history, @ForAll boolean smallBatches)
            throws Exception {
        // membership rows written 2 per statement and log batches of 3 keys: batch boundaries
        // everywhere; or the production sizes
        World world = new World();
        world.sizes = smallBatches ? new WriteSizes(2, 3) : WriteSizes.DEFAULT;
        for (Op op : history) {
            world.apply(op);
        }
        world.catchUp();
        world.check();
    }

    /**
     * Syncs cost what changed and still converge: whatever happens between syncs — the
     * operations above, Google failing a job or refusing a person, activation switched off
     * and on, the identifier settings changed — once processing caught up and syncs ran until
     * one has nothing to send, Google holds exactly each activated segment's members with
     * their identifiers now (a plan that reads only the queue must miss nothing a full plan
     * would find).
     */
    @Property(tries = 250)
    void syncsLeaveGoogleHoldingExactlyTheMembers(@ForAll("syncHistories") List<Op> history, @ForAll("jobSizes") int perJob)
            throws Exception {
        World world = new World();
        world.perJob = perJob;
        for (Op op : history) {
            world.apply(op);
        }
        world.catchUp();
        world.check();
        world.syncAndCheck();
    }

    /**
     * A sync after a change looks only at the changed member: a new email is removed with
     * the old identifiers first (the key goes back to the queue), then added with the new.
     */
    @Example
    void aSyncAfterAChangeLooksOnlyAtTheChangedMember() throws Exception {
        syncAfterAChangedMember(Integer.MAX_VALUE);
    }

    /**
     * The same with the change evaluated in bulk, which returns only the rows with something
     * to apply: a member of an activated segment whose email changed stays in the segment and
     * must still come back, to be queued as an update.
     */
    @Example
    void aMemberWhoseEmailChangedIsQueuedWhenEvaluatedInBulk() throws Exception {
        syncAfterAChangedMember(1);
    }

    /** {@code bulkMinimum}: as {@link Run#bulkMinimum} for the run after the change. */
    private void syncAfterAChangedMember(int bulkMinimum) throws Exception {
        World world = new World();
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String key : List.of("k0", "k1", "k2", "k3")) {
            Map<String, String> row = values("DE", "5", "free", "2024-01-01", "true");
            row.put("email", key.equals("k0") ? "ann@x.de" : "bob@y.fr");
            rows.put(key, row);
        }
        world.apply(new Upload(true, rows));
        world.apply(new CreateSegment("AND", List.of("{\"field\": \"vip\", \"operator\": \"is_set\"}"), true));
        world.run(new Run(3, -1, false, Integer.MAX_VALUE));
        world.sync(new Sync(false, null));
        world.sync(new Sync(false, null));
        world.apply(new Patch("k2", "email", "Ann@X.de"));
        long bulk = world.bulkEvaluated;
        world.run(new Run(3, -1, false, bulkMinimum));
        assertEquals(bulkMinimum == 1 ? 1 : 0, world.bulkEvaluated - bulk, "changed rows evaluated in bulk");
        world.sync(new Sync(false, null));
        world.sync(new Sync(false, null));
        // the same for each destination: its own queue, its own identifiers
        for (Destination d : Destination.values()) {
            List<SyncPlans.Plan> plans = world.plans(d);
            assertEquals("full", plans.get(0).scope(), d.apiName());
            assertEquals(4, plans.get(0).adds(), d.apiName());
            assertEquals(List.of("changes", "0", "null"), List.of(plans.get(1).scope(), String.valueOf(plans.get(1).examined()),
                    String.valueOf(plans.get(1).kind())), d.apiName() + ": nothing changed");
            var removal = plans.get(2);
            assertEquals(List.of("changes", "1", "remove", "1"), List.of(removal.scope(), String.valueOf(removal.examined()),
                    removal.kind(), String.valueOf(removal.removes())), d.apiName());
            var addition = plans.get(3);
            assertEquals(List.of("changes", "1", "add", "1"), List.of(addition.scope(), String.valueOf(addition.examined()),
                    addition.kind(), String.valueOf(addition.adds())), d.apiName());
        }
        world.check();
        world.syncAndCheck();
    }

    /**
     * Found by the property: a row deleted before a rebuild whose new rule holds for missing
     * values ({@code country neq DE}) must still leave the segment (a rebuild over typed rows
     * once compared the rule's answer for the missing row, true, with the old membership).
     */
    @Example
    void aDeletedRowLeavesASegmentRebuiltWithARuleThatMissingValuesMatch() throws Exception {
        World world = new World();
        world.apply(new Upload(true, Map.of("k1", values("DE", "5", "free", "2024-01-01", "true"))));
        world.apply(new CreateSegment("OR", List.of("{\"field\": \"vip\", \"operator\": \"eq\", \"value\": true}"), true));
        world.apply(new Run(2, -1, false, 1));
        world.apply(new Upload(true, Map.of("k0", values("DE", "1000", "", "2024-01-01", ""))));
        world.apply(new EditSegment(0, "OR", List.of(
                "{\"field\": \"country\", \"operator\": \"neq\", \"value\": \"DE\"}",
                "{\"field\": \"ltv\", \"operator\": \"between\", \"value\": [10, 200]}")));
        world.run(new Run(3, -1, false, Integer.MAX_VALUE));
        assertTrue(!world.workLeft(), "caught up");
        world.check();
    }

    private static Map<String, String> values(String country, String ltv, String plan, String signup, String vip) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("country", country);
        values.put("ltv", ltv);
        values.put("plan", plan);
        values.put("signup", signup);
        values.put("vip", vip);
        values.put("email", "");
        return values;
    }

    /** One dataset and its segments, driven through the real upload, row, rebuild and chunk code. */
    static final class World {
        final String datasetId = UUID.randomUUID().toString();
        final List<String> segments = new ArrayList<>();
        /** How the runs cut their writes (the property also tries tiny batches). */
        WriteSizes sizes = WriteSizes.DEFAULT;
        /** People per job (the property also tries a plan's people in several jobs). */
        int perJob = SyncPlans.ANY_NUMBER;
        final Map<String, Boolean> activated = new HashMap<>();
        UploadProcessor.Schema schema;

        World() throws SQLException {
            try (Connection c = db.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset (id, name, key_column, row_count, "
                        + "created_at, updated_at) VALUES (?, ?, 'id', 0, now(), now())")) {
                    ps.setString(1, datasetId);
                    ps.setString(2, "property " + datasetId);
                    ps.executeUpdate();
                }
                List<DatasetColumn> columns = new ArrayList<>();
                columns.add(new DatasetColumn("id", ColumnType.STRING));
                columns.add(new DatasetColumn("country", ColumnType.STRING));
                columns.add(new DatasetColumn("ltv", ColumnType.NUMBER));
                columns.add(new DatasetColumn("plan", ColumnType.STRING));
                columns.add(new DatasetColumn("signup", ColumnType.DATE));
                columns.add(new DatasetColumn("vip", ColumnType.BOOLEAN));
                columns.add(new DatasetColumn("email", ColumnType.STRING));
                for (int i = 0; i < columns.size(); i++) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO dataset_column (dataset_id, position, name, type) VALUES (?, ?, ?, ?)")) {
                        ps.setString(1, datasetId);
                        ps.setInt(2, i);
                        ps.setString(3, columns.get(i).getName());
                        ps.setString(4, columns.get(i).getType().apiName());
                        ps.executeUpdate();
                    }
                }
                schema = new UploadProcessor.Schema("id", columns, 0);
                try (PreparedStatement ps = c.prepareStatement("UPDATE dataset SET id_email = 'email' WHERE id = ?")) {
                    ps.setString(1, datasetId);
                    ps.executeUpdate();
                }
                // as the boundary's first upload leaves it: with its typed table
                TypedRows.ensure(c, datasetId);
            }
        }

        void apply(Op op) throws Exception {
            if (op instanceof Upload u) {
                upload(u);
            } else if (op instanceof Patch p) {
                patch(p);
            } else if (op instanceof Delete d) {
                inTransaction(c -> new RowStore().delete(c, datasetId, d.key(), Instant.now()));
            } else if (op instanceof CreateSegment s) {
                create(s);
            } else if (op instanceof EditSegment e) {
                if (!segments.isEmpty()) {
                    int which = e.which() % segments.size();
                    update("UPDATE segment SET logic = ?, conditions_json = ?, definition_version = definition_version + 1, "
                            + "status = 'pending' WHERE id = ? AND deleted_at IS NULL", e.logic(),
                            entries(e.conditions(), which), segments.get(which));
                }
            } else if (op instanceof DeleteSegment d) {
                String segment = segments.isEmpty() ? null : segments.get(d.which() % segments.size());
                // a segment others refer to is not deleted (the boundary refuses it)
                if (segment != null && inTransaction(c -> SegmentReferences.referrers(c, segment)).isEmpty()) {
                    update("UPDATE segment SET deleted_at = now(), definition_version = definition_version + 1 "
                            + "WHERE id = ? AND deleted_at IS NULL", segment);
                }
            } else if (op instanceof Run r) {
                run(r);
            } else if (op instanceof Sync s) {
                sync(s);
            } else if (op instanceof Toggle t) {
                if (!segments.isEmpty() && activated.get(segments.get(t.which() % segments.size()))) {
                    toggle(segments.get(t.which() % segments.size()));
                }
            } else if (op instanceof Roles r) {
                update("UPDATE dataset SET id_email = " + (r.email() ? "'email'" : "NULL") + " WHERE id = ?", datasetId);
            }
        }

        /** Gmail canonicalised for Google; rows' keys sent to Meta as EXTERN_ID (so a row without an email still goes there). */
        static final IdentifierSettings IDENTIFIERS = new IdentifierSettings(true, true);

        /** A full plan is made when needed, never on age, in these tests. */
        static final Duration FULL_EVERY = Duration.ofDays(3650);

        /** The plans made, for the tests that look at them. */
        final List<SyncPlans.Plan> plans = new ArrayList<>();
        /** The same, by destination. */
        final Map<Destination, List<SyncPlans.Plan>> plansTo = new java.util.EnumMap<>(Destination.class);

        List<SyncPlans.Plan> plans(Destination destination) {
            return plansTo.getOrDefault(destination, List.of());
        }
        /** Whether a sync consumed the activation queue or activation was switched off (it then no longer replays to the members). */
        boolean queueConsumedOrPaused;

        void toggle(String segment) throws Exception {
            queueConsumedOrPaused = true;
            // both destinations at once, as an admin would switch the segment's activation
            update("UPDATE segment SET activation_json = jsonb_set(jsonb_set(activation_json::jsonb, '{googleAds,enabled}', "
                    + "to_jsonb(NOT (activation_json::jsonb #>> '{googleAds,enabled}')::boolean)), '{meta,enabled}', "
                    + "to_jsonb(NOT (activation_json::jsonb #>> '{meta,enabled}')::boolean))::text WHERE id = ?", segment);
        }

        boolean enabled(String segment) throws Exception {
            return inTransaction(c -> bool(c, "SELECT coalesce((activation_json::jsonb #>> '{googleAds,enabled}')::boolean, false) "
                    + "FROM segment WHERE id = ?", segment));
        }

        /**
         * Syncs every activated segment of this world as the sync job does (list, basis, barrier,
         * plan), with Google played at the store level: the job's people are sent, then Google
         * fails the job or accepts it, refusing the person whose identifiers are those of
         * {@code refused}.
         */
        void sync(Sync s) throws Exception {
            queueConsumedOrPaused = true;
            List<ActivatedSegment> all = inTransaction(
                    ActivatedSegment::all).stream().filter(a -> a.datasetId().equals(datasetId)).toList();
            for (var a : all) {
                String list = a.userList() != null ? a.userList() : a.destination() == Destination.META
                        ? String.valueOf(23_000 + a.number()) : "customers/1/userLists/" + a.number();
                if (a.userList() == null) {
                    if (a.deleted()) {
                        continue;
                    }
                    inTransaction(c -> {
                        ActivatedSegment.recordUserList(c, a.id(), a.destination(), list);
                        return null;
                    });
                }
                long runId = inTransaction(c -> SyncRuns.start(c, 0, a.id(), a.destination(), "test", "test", a.userList()));
                SyncPlans.Plan plan = null;
                while (plan == null) {
                    var basis = inTransaction(c -> SyncPlans.basis(c, a, list, IDENTIFIERS, FULL_EVERY,
                            Instant.now()));
                    if (basis.full()) {
                        assertTrue(inTransaction(SyncPlans::barrier), "no membership write is open");
                    }
                    plan = inTransaction(c -> SyncPlans.plan(c, runId, a, list, IDENTIFIERS, FULL_EVERY,
                            basis, Instant.now(), Runnable::run, perJob));
                }
                plans.add(plan);
                plansTo.computeIfAbsent(a.destination(), d -> new ArrayList<>()).add(plan);
                if (plan.jobId() == null) {
                    continue;
                }
                // the plan's jobs in turn (the first fails when Google fails this sync's job)
                long people = 0;
                int jobs = 0;
                for (var open = inTransaction(c -> SyncJobs.open(c, a.id(), a.destination())); open.isPresent();
                     open = inTransaction(c -> SyncJobs.open(c, a.id(), a.destination()))) {
                    var job = open.get();
                    boolean fail = s.fail() && jobs == 0;
                    int sent = inTransaction(c -> {
                        var items = SyncJobs.unsent(c, job.id(), -1, 100_000);
                        Map<String, String> rejected = new HashMap<>();
                        String refused = s.refused() == null ? null : identifiers(Map.of("email", s.refused()), "email");
                        items.stream().filter(i -> i.identifiers().equals(refused))
                                .forEach(i -> rejected.put(i.key(), "INVALID_SHA256_FORMAT"));
                        SyncJobs.sent(c, job.id(), items, rejected);
                        if (fail) {
                            SyncJobs.unapplied(c, job, JobStatus.FAILED, null, "Google reported the job failed");
                        } else {
                            JobSettlement.succeeded(c, job, null, Instant.now());
                        }
                        return items.size();
                    });
                    assertTrue(sent >= 1 && sent <= perJob, "job " + job.id() + " of " + sent + " people, at most " + perJob);
                    assertEquals(plan.kind(), job.kind(), "the plan's jobs are of its kind");
                    people += sent;
                    jobs++;
                }
                assertEquals(plan.jobs(), jobs, "the plan's jobs, each sent and settled: " + plan);
                assertEquals(plan.kind().equals("add") ? plan.adds() : plan.removes(), people,
                        "the plan's people, in its jobs: " + plan);
            }
        }

        /** The stored Meta identifiers of a row's values, or null if it has none usable (email role: {@code column} or null). */
        static String metaIdentifiers(String key, Map<String, String> values, String column) {
            Identifiers roles = new Identifiers();
            roles.setColumn("email", column);
            return Destination.META.identifiers(key, values, roles, World.IDENTIFIERS);
        }

        /** The stored identifiers of a row's values, or null if it has none (email role: {@code column} or null). */
        static String identifiers(Map<String, String> values, String column) {
            Identifiers roles = new Identifiers();
            roles.setColumn("email", column);
            var ids = CustomerIdentifiers.of(values, roles, true);
            return ids.isEmpty() ? null : ids.toJson();
        }

        /**
         * Syncs until a sync has nothing to send (every activated segment switched on again
         * first), lets 501 days pass for everything acknowledged and syncs until done again,
         * then checks that nobody acknowledged is due to be added again and that what Google
         * acknowledged is exactly each activated segment's members with their identifiers now,
         * less the people refused with those identifiers; nothing for a deleted segment.
         */
        void syncAndCheck() throws Exception {
            for (String segment : segments) {
                if (activated.get(segment) && !enabled(segment)) {
                    toggle(segment);
                }
            }
            syncUntilDone();
            // then 501 days pass for everything acknowledged: the plans of changes alone (the full one is
            // ten years away here) add everyone due again, and the syncs come to an end again
            for (String segment : segments) {
                age(segment);
            }
            syncUntilDone();
            // everyone acknowledged over 500 days ago, and still a member with the same identifiers, was added again
            assertEquals(Map.of(), pairs("SELECT a.row_key, a.identifiers FROM activation_member a JOIN activation_set v "
                    + "ON v.id = a.set_id JOIN segment s ON s.id = v.segment_id WHERE s.dataset_id = ? "
                    + "AND a.added_at < now() - interval '500 days'", datasetId), "people due to be added again, left");
            Map<String, Map<String, String>> rows = new TreeMap<>();
            inTransaction(c -> {
                new RowStore().page(c, datasetId, null, 1000).forEach((StoredRow r) -> rows.put(r.key(), r.values()));
                return null;
            });
            String emailColumn = inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id_email FROM dataset WHERE id = ?")) {
                    ps.setString(1, datasetId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            for (String segment : segments) {
                if (!activated.get(segment)) {
                    continue;
                }
                boolean deleted = inTransaction(c -> bool(c, "SELECT deleted_at IS NOT NULL FROM segment WHERE id = ?", segment));
                Map<String, String> refused = pairs("SELECT row_key, identifiers FROM activation_rejected WHERE segment_id = ? "
                        + "AND destination = 'google-ads'", segment);
                Map<String, String> expected = new TreeMap<>();
                Map<String, String> expectedMeta = new TreeMap<>();
                if (!deleted) {
                    for (String key : inTransaction(c -> keys(c, MEMBERS, segment))) {
                        String ids = identifiers(rows.get(key), emailColumn);
                        if (ids != null && !ids.equals(refused.get(key))) {
                            expected.put(key, ids);
                        }
                        String metaIds = metaIdentifiers(key, rows.get(key), emailColumn);
                        if (metaIds != null) {
                            expectedMeta.put(key, metaIds);
                        }
                    }
                }
                assertEquals(expected, pairs("SELECT a.row_key, a.identifiers FROM activation_member a JOIN activation_set v "
                        + "ON v.id = a.set_id WHERE v.segment_id = ? AND v.destination = 'google-ads'", segment),
                        "what Google acknowledged for " + segment + (deleted ? " (deleted)" : ""));
                // Meta, synced by the same engine from its own queue: its own identifiers, never refused per person
                assertEquals(expectedMeta, pairs("SELECT a.row_key, a.identifiers FROM activation_member a JOIN activation_set v "
                        + "ON v.id = a.set_id WHERE v.segment_id = ? AND v.destination = 'meta'", segment),
                        "what Meta acknowledged for " + segment + (deleted ? " (deleted)" : ""));
            }
        }

        /** Syncs until a sync has nothing to send (at most six), and asserts that it came to that. */
        void syncUntilDone() throws Exception {
            int planned = 0;
            for (int i = 0; i < 6; i++) {
                int from = plans.size();
                sync(new Sync(false, null));
                planned = (int) plans.subList(from, plans.size()).stream().filter(p -> p.jobId() != null).count();
                if (planned == 0) {
                    break;
                }
            }
            assertEquals(0, planned, "syncs came to an end: " + plans);
        }

        /**
         * 501 days pass for what the destinations acknowledged of {@code segment}: its people's
         * times and its sets' bounds move back that far.
         */
        void age(String segment) throws Exception {
            update("UPDATE activation_member SET added_at = added_at - interval '501 days' WHERE set_id IN "
                    + "(SELECT id FROM activation_set WHERE segment_id = ?)", segment);
            update("UPDATE activation_set SET added_since = added_since - interval '501 days' WHERE segment_id = ?", segment);
        }

        Map<String, String> pairs(String sql, String param) throws Exception {
            return inTransaction(c -> {
                Map<String, String> map = new TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, param);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            byte[] stored = rs.getBytes(2);
                            String text = StoredIdentifiers.unpack(stored);
                            // written packed, never as the JSON's text
                            assertArrayEquals(StoredIdentifiers.pack(text), stored, text);
                            map.put(rs.getString(1), text);
                        }
                    }
                }
                return map;
            });
        }

        void patch(Patch p) throws Exception {
            inTransaction(c -> {
                var row = new RowStore().find(c, datasetId, p.key());
                if (row.isPresent()) {
                    Map<String, String> values = new HashMap<>(row.get().values());
                    if (p.value().isEmpty()) {
                        values.remove(p.column());
                    } else {
                        values.put(p.column(), p.value());
                    }
                    new RowStore().update(c, datasetId, p.key(), values, Instant.now());
                }
                return null;
            });
        }

        void create(CreateSegment s) throws Exception {
            String id = UUID.randomUUID().toString();
            update("INSERT INTO segment (id, name, dataset_id, logic, conditions_json, activation_json, created_at, "
                            + "updated_at) VALUES (?, ?, ?, ?, ?, ?, now(), now())", id, "segment " + id, datasetId, s.logic(),
                    entries(s.conditions(), segments.size()),
                    s.activated() ? "{\"googleAds\": {\"enabled\": true, \"userList\": null, \"consent\": "
                            + "{\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}, "
                            + "\"meta\": {\"enabled\": true, \"audienceId\": null}}" : null);
            segments.add(id);
            activated.put(id, s.activated());
        }

        /**
         * A rule's list of entries as stored, each "REF n op" made a membership of one of the
         * live segments before the {@code before}-th (so references never form a cycle, and
         * edits change the graph); a reference with no segment to name is left out, and a
         * list left empty holds the first condition.
         */
        String entries(List<String> templates, int before) throws Exception {
            List<String> live = new ArrayList<>();
            for (String id : segments.subList(0, Math.min(before, segments.size()))) {
                if (!inTransaction(c -> bool(c, "SELECT deleted_at IS NOT NULL FROM segment WHERE id = ?", id))) {
                    live.add(id);
                }
            }
            List<String> entries = new ArrayList<>();
            for (String t : templates) {
                if (!t.startsWith("REF ")) {
                    entries.add(t);
                } else if (!live.isEmpty()) {
                    String[] parts = t.split(" ");
                    entries.add("{\"segment\": \"" + live.get(Integer.parseInt(parts[1]) % live.size()) + "\", \"operator\": \""
                            + parts[2] + "\"}");
                }
            }
            if (entries.isEmpty()) {
                entries.add(CONDITIONS.get(0));
            }
            return "[" + String.join(", ", entries) + "]";
        }

        void update(String sql, String... params) throws Exception {
            inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setString(i + 1, params[i]);
                    }
                    return ps.executeUpdate();
                }
            });
        }

        void upload(Upload u) throws Exception {
            StringBuilder csv = new StringBuilder("id,country,ltv,plan,signup,vip,email\n");
            new TreeMap<>(u.rows()).forEach((k, v) -> csv.append(k).append(',').append(String.join(",", v.values())).append('\n'));
            try (Connection c = db.getConnection();
                 SpooledUpload file = SpooledUpload.of(csv.toString().getBytes(StandardCharsets.UTF_8))) {
                c.setAutoCommit(false);
                long rowCount;
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dataset_row WHERE dataset_id = ?")) {
                    ps.setString(1, datasetId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        rowCount = rs.getLong(1);
                    }
                }
                schema = new UploadProcessor.Schema("id", schema.columns(), rowCount);
                UploadProcessor.apply(c, datasetId, schema, file, new UploadProcessor.Options("id",
                        u.replace() ? UploadProcessor.Mode.REPLACE : UploadProcessor.Mode.UPSERT, null, null, 0.5));
                c.commit();
            }
        }

        /**
         * The job, as the batch job runs it: retire, rebuild, bulk, then chunks (claim, evaluate,
         * apply with the run's progress, commit, checkpoint), then finish. Dying rolls back
         * the open transaction and leaves the run "running" with its last checkpoint.
         */
        void run(Run r) throws Exception {
            var claim = inTransaction(c -> ProcessingRuns.claim(c, "test", Duration.ZERO));
            long runId = claim.run().id();
            int[] budget = {r.dieAfter() < 0 ? Integer.MAX_VALUE : r.dieAfter()};
            Transactions tx = new Transactions() {
                @Override
                public <T> T run(Work<T> work) throws Exception {
                    if (budget[0]-- <= 0) {
                        throw new Died();
                    }
                    return inTransaction(work);
                }
            };
            Set<String> evaluated = new HashSet<>();
            Set<String> rebuilt = new HashSet<>();
            try {
                rebuilt.addAll(RunSteps.retire(tx, runId, sizes));
                rebuilt.addAll(RunSteps.rebuild(tx, runId, sizes));
                bulkEvaluated += RunSteps.bulk(tx, runId, r.bulkMinimum(), evaluated, new HashSet<>(), sizes, lookupShare(runId));
                chunks(tx, runId, r.chunkSize(), null, evaluated);
                RunSteps.finish(this::inTransaction, runId, evaluated, rebuilt, null);
            } catch (Died died) {
                if (r.restart()) {
                    // a restart runs the steps again, the chunk step from its last committed checkpoint, same run
                    rebuilt.addAll(RunSteps.retire(this::inTransaction, runId, sizes));
                    rebuilt.addAll(RunSteps.rebuild(this::inTransaction, runId, sizes));
                    bulkEvaluated += RunSteps.bulk(this::inTransaction, runId, r.bulkMinimum(), evaluated, new HashSet<>(), sizes,
                            lookupShare(runId));
                    chunks(this::inTransaction, runId, r.chunkSize(), lastCheckpoint, evaluated);
                    RunSteps.finish(this::inTransaction, runId, evaluated, rebuilt, null);
                }
                // otherwise the run stays "running" until a later claim finds it lost
            }
        }

        ChangeChunks.Position lastCheckpoint;

        /** Changed rows the runs evaluated in bulk, in all. */
        long bulkEvaluated;

        /**
         * The bulk read's form, alternating by run: the claims always looked up by key in key
         * order (share 1), or always joined (share 0) — both must give the rule's answers.
         */
        static double lookupShare(long runId) {
            return runId % 2 == 0 ? 1.0 : 0.0;
        }

        ChangeChunks.Position chunks(Transactions tx, long runId, int size, ChangeChunks.Position from, Set<String> evaluated)
                throws Exception {
            ChangeChunks.Position position = from;
            lastCheckpoint = from;
            while (true) {
                ChangeChunks.Position start = position;
                ChangeChunks.Position next = tx.run(c -> {
                    List<ChangedRow> claimed = ChangeChunks.claim(c, start, size);
                    if (claimed.isEmpty()) {
                        return null;
                    }
                    ChangeEvaluator evaluator = new ChangeEvaluator(ds -> {
                        try {
                            return LiveSegments.ofDataset(c, ds);
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }, Instant.now());
                    List<EvaluatedRow> rows = claimed.stream().map(evaluator::evaluate).toList();
                    var applied = ChangeChunks.apply(c, runId, rows, evaluator.activated(), Instant.now(), sizes);
                    ProcessingRuns.progress(c, runId, applied.rows(), 0, applied.entered(), applied.exited());
                    claimed.forEach(x -> evaluated.add(x.datasetId()));
                    ChangedRow last = claimed.get(claimed.size() - 1);
                    return new ChangeChunks.Position(last.datasetId(), last.key());
                });
                if (next == null) {
                    return position;
                }
                position = next;
                lastCheckpoint = next;
            }
        }

        /** Whether this world's dataset has pending changes (other tests' data aside). */
        boolean workLeftIgnoringOthers() throws Exception {
            return inTransaction(c -> bool(c, "SELECT EXISTS (SELECT 1 FROM pending_change WHERE dataset_id = ?)", datasetId));
        }

        /** Runs until nothing is pending (a run that died is noticed as lost). */
        void catchUp() throws Exception {
            for (int i = 0; i < 5 && workLeft(); i++) {
                run(new Run(3, -1, false, Integer.MAX_VALUE));
            }
            assertTrue(!workLeft(), "caught up");
        }

        boolean workLeft() throws Exception {
            return inTransaction(c -> {
                var due = ProcessingRuns.due(c);
                return due.pending() || due.staleSegments() || due.failedSegments();
            });
        }

        void check() throws Exception {
            Map<String, Map<String, String>> rows = new TreeMap<>();
            inTransaction(c -> {
                new RowStore().page(c, datasetId, null, 1000).forEach((StoredRow r) -> rows.put(r.key(), r.values()));
                return null;
            });
            inTransaction(c -> {
                TypedTables.assertConsistent(c, datasetId, TypedRows.columns(c, datasetId));
                // the count the status reports, kept by the writes, is the changes counted
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pending_change")) {
                    rs.next();
                    assertEquals(rs.getLong(1), PendingChanges.count(c), "pending changes counted");
                }
                return null;
            });
            Map<String, Set<String>> evaluated = new HashMap<>();
            for (String segment : segments) {
                boolean deleted = inTransaction(c -> bool(c, "SELECT deleted_at IS NOT NULL FROM segment WHERE id = ?", segment));
                Set<String> expected = fullEvaluation(segment, rows, evaluated);
                Set<String> members = inTransaction(c -> keys(c, MEMBERS, segment));
                assertEquals(expected, members, "members of " + segment + (deleted ? " (deleted)" : ""));
                assertEquals(replay(segment, "membership_change", "enter", "exit"), members, "the log replayed");
                if (activated.get(segment) && !queueConsumedOrPaused) {
                    // each destination has its own queue, and each replays to the members
                    for (Destination d : Destination.values()) {
                        assertEquals(replay(segment, "activation_queue", "add", "remove", "AND b.destination = '" + d.apiName() + "'"),
                                members, "the activation queue of " + d.apiName() + " replayed");
                    }
                }
                assertEquals(members, pagedMembers(segment), "the members API's pages of " + segment);
                assertEquals(members, pagedReplay(segment), "the changes API's pages of " + segment + " replayed");
                long count = inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT member_count FROM segment WHERE id = ?")) {
                        ps.setString(1, segment);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                });
                assertEquals(members.size(), count, "member count of " + segment);
            }
        }

        /**
         * A segment's members by a full evaluation of its stored rule over the rows, written
         * here independently of the evaluators: each condition on its own through the
         * validator and {@link RuleEvaluator}, groups by their logic, and a membership of
         * another segment by that segment's full evaluation (memoised in {@code done}). A
         * deleted segment has none.
         */
        Set<String> fullEvaluation(String segment, Map<String, Map<String, String>> rows, Map<String, Set<String>> done)
                throws Exception {
            if (done.containsKey(segment)) {
                return done.get(segment);
            }
            String[] stored = inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT logic, conditions_json, deleted_at IS NOT NULL "
                        + "FROM segment WHERE id = ?")) {
                    ps.setString(1, segment);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new String[]{rs.getString(1), rs.getString(2), String.valueOf(rs.getBoolean(3))};
                    }
                }
            });
            Set<String> members = new TreeSet<>();
            if (!Boolean.parseBoolean(stored[2])) {
                JsonArray entries = Json.createReader(new StringReader(stored[1])).readArray();
                for (var row : rows.entrySet()) {
                    if (holds(stored[0], entries, row.getKey(), row.getValue(), rows, done)) {
                        members.add(row.getKey());
                    }
                }
            }
            done.put(segment, members);
            return members;
        }

        private boolean holds(String logic, JsonArray entries, String key, Map<String, String> values,
                              Map<String, Map<String, String>> rows, Map<String, Set<String>> done) throws Exception {
            boolean and = logic.equals("AND");
            for (JsonValue value : entries) {
                JsonObject entry = value.asJsonObject();
                boolean holds;
                if (entry.containsKey("conditions")) {
                    holds = holds(entry.getString("logic"), entry.getJsonArray("conditions"), key, values, rows, done);
                } else if (entry.containsKey("segment")) {
                    holds = fullEvaluation(entry.getString("segment"), rows, done).contains(key)
                            == entry.getString("operator").equals("in");
                } else {
                    JsonObject one = Json.createObjectBuilder().add("logic", "AND")
                            .add("conditions", Json.createArrayBuilder().add(entry)).build();
                    holds = new RuleEvaluator(RuleValidator.validate(one, dataset()), Instant.now()).matches(values);
                }
                if (holds != and) {
                    return holds;
                }
            }
            return and;
        }

        /** The dataset as the validator reads it. */
        Dataset dataset() {
            Dataset dataset = new Dataset(datasetId, "property", "id", Instant.now());
            schema.columns().forEach(c -> dataset.addColumn(c.getName(), c.getType()));
            return dataset;
        }

        /** The members read as the API does, two per page. */
        Set<String> pagedMembers(String segment) throws Exception {
            List<String> keys = new ArrayList<>();
            String after = null;
            while (true) {
                String from = after;
                List<MemberPages.Member> page = inTransaction(c -> MemberPages.members(c, segment, from, null, 2));
                page.stream().limit(2).forEach(m -> keys.add(m.key()));
                if (page.size() <= 2) {
                    break;
                }
                after = page.get(1).key();
            }
            Set<String> set = new TreeSet<>(keys);
            assertEquals(keys.size(), set.size(), "a member listed twice");
            return set;
        }

        /** The log read as the API does (three per page, oldest first), replayed from empty. */
        Set<String> pagedReplay(String segment) throws Exception {
            Set<String> set = new TreeSet<>();
            long after = 0;
            while (true) {
                long from = after;
                List<MemberPages.Change> page = inTransaction(c -> MemberPages.changes(c, segment, from, 3, false));
                for (MemberPages.Change change : page.subList(0, Math.min(3, page.size()))) {
                    assertTrue(change.id() > from, "ids increase");
                    if (change.change().equals("enter")) {
                        assertTrue(set.add(change.key()), change.key() + " entered twice");
                    } else {
                        assertTrue(set.remove(change.key()), change.key() + " left without being in");
                    }
                }
                if (page.size() <= 3) {
                    break;
                }
                after = page.get(2).id();
            }
            return set;
        }

        /** Replays a log from empty: an entry that adds a member twice or removes a non-member fails. */
        Set<String> replay(String segment, String table, String in, String out) throws Exception {
            return replay(segment, table, in, out, "");
        }

        /** {@link #replay(String, String, String, String)} of the entries {@code condition} (SQL over {@code b}) keeps. */
        Set<String> replay(String segment, String table, String in, String out, String condition) throws Exception {
            Set<String> set = new TreeSet<>();
            inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT k.key, b.change FROM " + table + " b "
                        + "CROSS JOIN LATERAL unnest(b.row_keys) WITH ORDINALITY AS k(key, n) WHERE b.segment_id = ? "
                        + "AND b.change <> 'update' " + condition + " ORDER BY b.id, k.n")) {
                    ps.setString(1, segment);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String key = rs.getString(1);
                            if (rs.getString(2).equals(in)) {
                                assertTrue(set.add(key), table + ": " + key + " entered " + segment + " twice");
                            } else {
                                assertEquals(out, rs.getString(2));
                                assertTrue(set.remove(key), table + ": " + key + " left " + segment + " without being in");
                            }
                        }
                    }
                }
                return null;
            });
            return set;
        }

        <T> T inTransaction(Transactions.Work<T> work) throws Exception {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.apply(c);
                    c.commit();
                    return result;
                } catch (Exception | Error e) {
                    c.rollback();
                    throw e;
                }
            }
        }
    }

    static final class Died extends RuntimeException {
        Died() {
            super("the run died", null, false, false);
        }
    }

    static boolean bool(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The members of a segment (parameter: its id). */
    static final String MEMBERS = "SELECT m.row_key FROM segment s JOIN dataset d ON d.id = s.dataset_id "
            + "JOIN row_membership m ON m.dataset = d.number AND m.segments @> ARRAY[s.number] WHERE s.id = ?";

    static Set<String> keys(Connection c, String sql, String param) throws SQLException {
        Set<String> keys = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }
}
