package io.segmatch.fake.meta;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request the fake stops on its way in, before its token is checked, until the test
 * releases it ({@link FakeMeta#holdNext}): what the test does meanwhile happens while the
 * request is with Meta.
 */
public final class HeldRequest {

    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    HeldRequest() {
    }

    /** Waits (at most {@code within}) for the request to arrive; true when it did. */
    public boolean arrived(Duration within) throws InterruptedException {
        return arrived.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the request go on. */
    public void release() {
        released.countDown();
    }

    /** The request arrives: it waits here until released (at most two minutes). */
    void stop() {
        arrived.countDown();
        try {
            if (!released.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a held request was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
