package io.segmatch.fake.google;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A Customer Match list: the people in it, each as the identifiers sent for them (sorted,
 * joined by {@code |}), held packed ({@link PackedPeople}): the benchmark's lists hold
 * millions of people in the benchmark's own JVM.
 */
final class UserList {
    final String resourceName;
    final String name;
    final long lifeSpan;
    private final PackedPeople people = new PackedPeople();
    /** When the list's members last changed. */
    volatile Instant changedAt;

    UserList(String resourceName, String name, long lifeSpan) {
        this.resourceName = resourceName;
        this.name = name;
        this.lifeSpan = lifeSpan;
    }

    /** The person's key: their identifiers, sorted and joined by {@code |}. */
    static String key(Collection<String> person) {
        return String.join("|", person instanceof SortedSet<String> ? person : new TreeSet<>(person));
    }

    int size() {
        return people.size();
    }

    /** Every person's key ({@link #key}). */
    Set<String> keys() {
        return people.keys();
    }

    void add(Set<String> person) {
        add(PackedPeople.pack(key(person)));
    }

    /** Adds a person by packed key ({@link PackedPeople#pack}). */
    void add(byte[] person) {
        if (people.add(person)) {
            changedAt = Instant.now();
        }
    }

    void remove(Set<String> person) {
        remove(PackedPeople.pack(key(person)));
    }

    /** Google removes every person matched by any of the identifiers sent (packed: {@link PackedPeople#pack}). */
    void remove(byte[] person) {
        if (people.removeMatching(person)) {
            changedAt = Instant.now();
        }
    }

    void clear() {
        people.clear();
        changedAt = Instant.now();
    }
}
