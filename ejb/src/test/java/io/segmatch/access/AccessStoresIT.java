package io.segmatch.access;

import io.segmatch.access.control.PasswordHash;
import io.segmatch.access.control.Role;
import io.segmatch.access.store.LoginAttempts;
import io.segmatch.access.store.Users;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access tables on PostgreSQL: the lockout under parallel guesses, the first user, the admins' lock. */
class AccessStoresIT {

    static DataSource db;

    @BeforeAll
    static void database() {
        db = TestDatabase.newDatabase("access");
    }

    @Test
    void fiveFailuresInARowLockAUsernameAndASuccessClearsThem() throws Exception {
        try (Connection c = db.getConnection()) {
            Instant now = Instant.now();
            for (int i = 1; i <= 4; i++) {
                var attempt = LoginAttempts.begin(c, "ann", now);
                assertEquals(i, attempt.number());
                assertNull(LoginAttempts.failed(c, "ann", attempt, now));
            }
            var fifth = LoginAttempts.begin(c, "ann", now);
            Instant until = LoginAttempts.failed(c, "ann", fifth, now);
            assertEquals(now.plus(LoginAttempts.LOCK), until);
            assertTrue(LoginAttempts.begin(c, "ann", now.plusSeconds(60)).locked(), "even the right password waits");
            var later = LoginAttempts.begin(c, "ann", now.plus(LoginAttempts.LOCK).plusSeconds(1));
            assertFalse(later.locked(), "the lock runs out");
            assertEquals(1, later.number(), "and the count starts again");

            var ok = LoginAttempts.begin(c, "ben", now);
            LoginAttempts.failed(c, "ben", ok, now);
            LoginAttempts.succeeded(c, "ben");
            assertEquals(1, LoginAttempts.begin(c, "ben", now).number(), "a success clears the failures");
        }
    }

    /** Twenty guesses arrive at once (a barrier releases them together): at most five get a password check. */
    @Test
    void parallelGuessesCannotGetPastTheLimit() throws Exception {
        int threads = 20;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<LoginAttempts.Attempt>> attempts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                attempts.add(pool.submit(() -> {
                    try (Connection c = db.getConnection()) {
                        barrier.await();
                        return LoginAttempts.begin(c, "carl", Instant.now());
                    }
                }));
            }
            int checked = 0;
            for (var f : attempts) {
                var attempt = f.get();
                if (!attempt.locked() && attempt.number() <= LoginAttempts.MAX_FAILURES) {
                    checked++;
                }
            }
            assertEquals(LoginAttempts.MAX_FAILURES, checked, "only five of twenty parallel guesses may be checked");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFirstUserIsCreatedOnceWhenManyInstancesStartTogether() throws Exception {
        DataSource fresh = TestDatabase.newDatabase("firstuser");
        int instances = 6;
        CyclicBarrier barrier = new CyclicBarrier(instances);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        String hash = PasswordHash.hash("first-admin-password");
        try {
            List<Future<Boolean>> created = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                int n = i;
                created.add(pool.submit(() -> {
                    try (Connection c = fresh.getConnection()) {
                        c.setAutoCommit(false);
                        barrier.await();
                        boolean done = Users.createFirst(c, "admin" + n, Role.ADMIN, hash, true, Instant.now());
                        c.commit();
                        return done;
                    }
                }));
            }
            int yes = 0;
            for (var f : created) {
                yes += f.get() ? 1 : 0;
            }
            assertEquals(1, yes, "one first administrator");
            try (Connection c = fresh.getConnection()) {
                assertEquals(1, Users.count(c));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void usersKeepALowerCaseNameAndAHashOnly() throws Exception {
        try (Connection c = db.getConnection()) {
            assertTrue(Users.create(c, "dana", Role.EDITOR, PasswordHash.hash("dana-password-1"), false, Instant.now()));
            assertFalse(Users.create(c, "dana", Role.VIEWER, PasswordHash.hash("dana-password-2"), false, Instant.now()),
                    "the name is taken");
            var dana = Users.find(c, "dana").orElseThrow();
            assertEquals(Role.EDITOR, dana.role());
            assertTrue(dana.passwordHash().startsWith("PBKDF2WithHmacSHA512:210000:"));
            assertNotNull(dana.createdAt());
            var refused = Assertions.assertThrows(SQLException.class,
                    () -> Users.create(c, "Dana", Role.EDITOR, "x", false, Instant.now()));
            assertTrue(refused.getMessage().contains("app_user_username_check"), "the table only takes the stored form");
        }
    }
}
