package io.segmatch.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnectionNotification;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Watches the server JVM's heap over a local JMX connection (the attach API, no port): every
 * garbage collection reports what the heap held just before it (the heap is at its fullest
 * then) and just after it (what the server still needed), so the run's true peak and the most
 * it kept alive are known, not guessed from the pools' separate peaks, which each pool reaches
 * at another moment and whose sum can exceed the heap's cap.
 */
final class HeapProbe implements AutoCloseable {

    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;
    private final List<String> heapPools;
    private final List<ObjectName> collectors;
    private final NotificationListener listener = this::collected;
    private final Map<String, Integer> collections = new TreeMap<>();
    private long peakBefore;
    private long peakAfter;
    private long notifications;
    private long lost;

    private HeapProbe(JMXConnector connector) throws Exception {
        this.connector = connector;
        this.mbeans = connector.getMBeanServerConnection();
        this.heapPools = mbeans.queryNames(new ObjectName("java.lang:type=MemoryPool,*"), null).stream()
                .filter(n -> "HEAP".equals(attribute(n, "Type"))).map(n -> String.valueOf(attribute(n, "Name"))).toList();
        // notifications a full buffer dropped would understate the peak: counted and reported
        connector.addConnectionNotificationListener((n, handback) -> {
            if (JMXConnectionNotification.NOTIFS_LOST.equals(n.getType())) {
                synchronized (this) {
                    lost++;
                }
            }
        }, null, null);
        this.collectors = List.copyOf(mbeans.queryNames(new ObjectName("java.lang:type=GarbageCollector,*"), null));
        for (ObjectName collector : collectors) {
            mbeans.addNotificationListener(collector, listener, null, null);
        }
        for (ObjectName pool : mbeans.queryNames(new ObjectName("java.lang:type=MemoryPool,*"), null)) {
            mbeans.invoke(pool, "resetPeakUsage", null, null);
        }
    }

    static HeapProbe attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        JMXConnector connector = null;
        try {
            String address = vm.startLocalManagementAgent();
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            return new HeapProbe(connector);
        } catch (Exception e) {
            if (connector != null) {
                connector.close();
            }
            throw e;
        } finally {
            vm.detach();
        }
    }

    private Object attribute(ObjectName name, String attribute) {
        try {
            return mbeans.getAttribute(name, attribute);
        } catch (Exception e) {
            return null;
        }
    }

    private synchronized void collected(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        GcInfo gc = info.getGcInfo();
        peakBefore = Math.max(peakBefore, heapUsed(gc.getMemoryUsageBeforeGc()));
        peakAfter = Math.max(peakAfter, heapUsed(gc.getMemoryUsageAfterGc()));
        collections.merge(info.getGcName() + " (" + info.getGcAction() + ")", 1, Integer::sum);
        notifications++;
    }

    private long heapUsed(Map<String, MemoryUsage> pools) {
        long sum = 0;
        for (String pool : heapPools) {
            MemoryUsage usage = pools.get(pool);
            sum += usage == null ? 0 : usage.getUsed();
        }
        return sum;
    }

    /** The sum of the heap pools' peaks since attaching: an upper bound, as the pools peak at different moments. */
    private long poolPeaks() throws Exception {
        long sum = 0;
        for (ObjectName pool : mbeans.queryNames(new ObjectName("java.lang:type=MemoryPool,*"), null)) {
            if ("HEAP".equals(attribute(pool, "Type"))) {
                sum += (Long) ((CompositeData) mbeans.getAttribute(pool, "PeakUsage")).get("used");
            }
        }
        return sum;
    }

    /** What the heap did while the probe watched, in one paragraph. */
    synchronized String report(String cap) throws Exception {
        CompositeData heap = (CompositeData) mbeans.getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");
        long now = (Long) heap.get("used");
        long committed = (Long) heap.get("committed");
        Figures.current.put("heap-peak", Math.max(peakBefore, now) / 1048576.0);
        Figures.current.put("heap-live", peakAfter / 1048576.0);
        return String.format(Locale.ROOT, "server heap: cap %s, committed %.0f MB; peak in use %.0f MB (the most the heap held, "
                        + "just before a collection); most still live after a collection %.0f MB; %,d collections seen: %s; "
                        + "the heap pools' peaks add up to %.0f MB (an upper bound: each pool peaks at another moment)%s",
                cap, committed / 1048576.0, Math.max(peakBefore, now) / 1048576.0, peakAfter / 1048576.0, notifications,
                collections, poolPeaks() / 1048576.0,
                lost == 0 ? "" : "; some notifications were lost (" + lost + " times): the peaks may be higher");
    }

    @Override
    public void close() throws IOException {
        for (ObjectName collector : collectors) {
            try {
                mbeans.removeNotificationListener(collector, listener);
            } catch (Exception e) {
                // the server may be on its way down; the connection closes anyway
            }
        }
        connector.close();
    }
}
