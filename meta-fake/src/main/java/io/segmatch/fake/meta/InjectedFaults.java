package io.segmatch.fake.meta;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a test makes the fake do to the next requests of an endpoint ({@code customaudiences},
 * {@code users}, {@code audience}, {@code account}): fail with a Graph error, go through a
 * number of times first, or stop on the way in until released.
 */
final class InjectedFaults {

    /** A place in a list of faults where the request goes through. */
    private static final GraphErrors.Failure PASS = GraphErrors.error(200, 0, 0, "", "", false);

    private final Map<String, List<GraphErrors.Failure>> faults = new ConcurrentHashMap<>();
    private final Map<String, HeldRequest> holds = new ConcurrentHashMap<>();

    /** The next {@code times} requests to {@code endpoint} fail with {@code failure}. */
    void fail(String endpoint, int times, GraphErrors.Failure failure) {
        List<GraphErrors.Failure> list = of(endpoint);
        for (int i = 0; i < times; i++) {
            list.add(failure);
        }
    }

    /** After {@code passes} more requests to {@code endpoint} were let through, the next one fails with {@code failure}. */
    void failAfter(String endpoint, int passes, GraphErrors.Failure failure) {
        List<GraphErrors.Failure> list = of(endpoint);
        for (int i = 0; i < passes; i++) {
            list.add(PASS);
        }
        list.add(failure);
    }

    HeldRequest holdNext(String endpoint) {
        HeldRequest hold = new HeldRequest();
        holds.put(endpoint, hold);
        return hold;
    }

    /** A request to {@code endpoint} arrives: it waits here if the test holds it. */
    void arrive(String endpoint) {
        HeldRequest hold = holds.remove(endpoint);
        if (hold != null) {
            hold.stop();
        }
    }

    /** A request to {@code endpoint} is about to be answered: refused if a fault is due. */
    void check(String endpoint) {
        List<GraphErrors.Failure> injected = faults.get(endpoint);
        if (injected != null && !injected.isEmpty()) {
            GraphErrors.Failure fault = injected.remove(0);
            if (fault != PASS) {
                throw new FakeAudience.Refused(fault);
            }
        }
    }

    /** Lets every held request go (the fake stops). */
    void releaseAll() {
        holds.values().forEach(HeldRequest::release);
    }

    private List<GraphErrors.Failure> of(String endpoint) {
        return faults.computeIfAbsent(endpoint, k -> Collections.synchronizedList(new ArrayList<>()));
    }
}
