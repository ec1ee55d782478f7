package io.segmatch.live.api;

import io.segmatch.live.boundary.LiveState;
import io.segmatch.shared.events.RunEnded;
import io.segmatch.shared.metrics.Series;
import io.segmatch.shared.metrics.ServerMeasurements;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connected live streams and what they are sent: the {@code segments} event on connect,
 * every {@code segmatch.events.interval}, and whenever the committed state changed. Once a
 * second, while anyone is connected, the state is read from the database (only committed data,
 * whichever server or job committed it); a processing run that ends here asks for a read at
 * once. Clients that have not taken an event for a minute are disconnected.
 */
@ApplicationScoped
public class LiveEvents {

    private static final Logger LOG = Logger.getLogger(LiveEvents.class.getName());
    /** How often the state is read while anyone is connected. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** A client whose connection took nothing for this long is disconnected. */
    static final Duration STALLED = Duration.ofSeconds(60);
    private static final byte[] PREFACE = ": Segmatch live events\nretry: 2000\n\n".getBytes(StandardCharsets.UTF_8);

    @Inject
    LiveState state;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ManagedExecutorService executor;

    @Inject
    @ConfigProperty(name = "segmatch.events.interval", defaultValue = "PT10S")
    String interval;

    @Inject
    ServerMeasurements metrics;

    private final Set<LiveClient> clients = ConcurrentHashMap.newKeySet();
    /** Whose each stream is, and how many streams each user has open. */
    private final Map<LiveClient, String> owners = new ConcurrentHashMap<>();
    private final Map<String, Integer> streams = new ConcurrentHashMap<>();
    /** Event ids grow across restarts (they start at the boot time in milliseconds). */
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis());
    private volatile String lastState;
    private volatile long lastSent;
    private volatile boolean failing;
    private ScheduledFuture<?> ticker;

    /** At deployment: the number of connected streams becomes a gauge. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        metrics.gauge(Series.of("segmatch_live_clients", "Server-Sent Events streams (GET /api/events) connected now"),
                this, LiveEvents::connected);
    }

    /** Takes one of a user's streams; false when the user has {@code max} open already. */
    boolean reserve(String user, int max) {
        boolean[] taken = {false};
        streams.compute(user, (u, n) -> {
            int open = n == null ? 0 : n;
            if (open >= max) {
                return n;
            }
            taken[0] = true;
            return open + 1;
        });
        return taken[0];
    }

    void release(String user) {
        streams.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    }

    /** Registers a stream (reserved for its user): it gets the preface and the current state at once. */
    void connect(String user, AsyncContext async, ServletOutputStream out) {
        LiveClient client = new LiveClient(async, out, PREFACE, this::closed);
        owners.put(client, user);
        try {
            async.addListener(client);
            clients.add(client);
            out.setWriteListener(client);
        } catch (RuntimeException e) {
            clients.remove(client);
            if (owners.remove(client) != null) {
                release(user);
            }
            async.complete();
            throw e;
        }
        startTicker();
        try {
            client.offer(event(SnapshotJson.state(state.snapshot())));
        } catch (RuntimeException e) {
            // the database does not answer now: the client gets the state with the next heartbeat
            LOG.log(Level.FINE, "live state not readable on connect", e);
        }
    }

    /** How many streams are connected. */
    public int connected() {
        return clients.size();
    }

    /** A processing run's end was committed: read the state now rather than at the next tick. */
    void runEnded(@Observes RunEnded ended) {
        if (!clients.isEmpty()) {
            executor.execute(this::tick);
        }
    }

    private synchronized void startTicker() {
        if (ticker == null) {
            ticker = scheduler.scheduleWithFixedDelay(this::tick, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the state; sends it when it changed or the heartbeat is due; disconnects stalled clients. */
    synchronized void tick() {
        try {
            for (LiveClient client : clients) {
                if (client.waitingNanos() > STALLED.toNanos()) {
                    LOG.info("a live client took no event for " + STALLED.toSeconds() + " s: disconnected");
                    client.close();
                }
            }
            if (clients.isEmpty()) {
                lastState = null;
                return;
            }
            String now = SnapshotJson.state(state.snapshot());
            boolean heartbeat = System.nanoTime() - lastSent >= Duration.parse(interval).toNanos();
            if (!now.equals(lastState) || heartbeat) {
                byte[] event = event(now);
                lastState = now;
                lastSent = System.nanoTime();
                for (LiveClient client : clients) {
                    client.offer(event);
                }
            }
            failing = false;
        } catch (RuntimeException e) {
            // keep ticking; say it once, not every second
            if (!failing) {
                LOG.log(Level.WARNING, "live events could not read the state: " + e.getMessage(), e);
                failing = true;
            }
        }
    }

    /** {@code id}, {@code event: segments} and the state with the time it is sent. */
    private byte[] event(String state) {
        String data = "{\"at\":\"" + Instant.now() + "\"," + state.substring(1);
        return ("id: " + ids.incrementAndGet() + "\nevent: segments\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private void closed(LiveClient client) {
        clients.remove(client);
        String user = owners.remove(client);
        if (user != null) {
            release(user);
        }
        // completing may wait on a stalled socket: never on the broadcasting thread
        executor.execute(client::complete);
    }

    @PreDestroy
    void stop() {
        synchronized (this) {
            if (ticker != null) {
                ticker.cancel(false);
            }
        }
        clients.forEach(LiveClient::close);
    }
}
