package io.segmatch.fake.google;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed list against a plain model of Google's rules: people added by their identifiers,
 * and everyone matched by any identifier of a person sent removed.
 */
class PackedPeopleTest {

    private static final String[] COUNTRIES = {"DE", "US", "FR"};

    @Test
    void packingIsOneToOneAndReversible() {
        String email = "hashedEmail=" + hex(1);
        String phone = "hashedPhoneNumber=" + hex(2);
        String address = "addressInfo=" + hex(3) + "/" + hex(4) + "/DE/10115";
        String upper = "hashedEmail=" + hex(1).toUpperCase(Locale.ROOT);
        String odd = "addressInfo=" + hex(3) + "/x/DE/";
        for (String key : List.of("", email, email + "|" + phone, address + "|" + email + "|" + phone, upper, odd,
                "thirdParty=ü|" + email)) {
            assertEquals(key, PackedPeople.unpack(PackedPeople.pack(key)));
        }
        // a hash in capitals is another identifier, as its text differs
        assertNotEquals(new PackedPeople.Bytes(PackedPeople.pack(email), 0, 33),
                new PackedPeople.Bytes(PackedPeople.pack(upper), 0, PackedPeople.pack(upper).length));
        assertEquals(33, PackedPeople.pack(email).length);
    }

    @Test
    void removingByOneIdentifierRemovesEveryoneWhoHasIt() {
        PackedPeople people = new PackedPeople();
        String shared = "hashedEmail=" + hex(1);
        assertTrue(people.add(PackedPeople.pack(shared + "|hashedPhoneNumber=" + hex(2))));
        assertTrue(people.add(PackedPeople.pack(shared + "|hashedPhoneNumber=" + hex(3))));
        assertTrue(people.add(PackedPeople.pack("hashedPhoneNumber=" + hex(4))));
        assertFalse(people.add(PackedPeople.pack("hashedPhoneNumber=" + hex(4))));
        assertEquals(3, people.size());
        assertTrue(people.removeMatching(PackedPeople.pack(shared)));
        assertEquals(Set.of("hashedPhoneNumber=" + hex(4)), people.keys());
        assertFalse(people.removeMatching(PackedPeople.pack("hashedPhoneNumber=" + hex(2))));
    }

    /** Random adds and removals over a small pool of identifiers, so that people share them. */
    @RepeatedTest(20)
    void behavesAsTheModel() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pool.add(switch (random.nextInt(4)) {
                case 0 -> "hashedEmail=" + hex(random.nextInt(1000));
                case 1 -> "hashedPhoneNumber=" + hex(random.nextInt(1000));
                case 2 -> "addressInfo=" + hex(random.nextInt(1000)) + "/" + hex(random.nextInt(1000)) + "/"
                        + COUNTRIES[random.nextInt(COUNTRIES.length)] + "/" + random.nextInt(99999);
                default -> "hashedEmail=" + hex(random.nextInt(1000)).toUpperCase(Locale.ROOT);
            });
        }
        PackedPeople packed = new PackedPeople();
        Set<String> model = new HashSet<>();
        for (int step = 0; step < 400; step++) {
            Set<String> person = new TreeSet<>();
            int ids = random.nextInt(4);
            for (int i = 0; i < ids; i++) {
                person.add(pool.get(random.nextInt(pool.size())));
            }
            String key = String.join("|", person);
            if (random.nextInt(3) > 0) {
                assertEquals(model.add(key), packed.add(PackedPeople.pack(key)), "seed " + seed);
            } else {
                boolean removed = model.removeIf(other -> !person.isEmpty() && !other.isEmpty()
                        && person.stream().anyMatch(id -> Set.of(other.split("\\|")).contains(id)));
                assertEquals(removed, packed.removeMatching(PackedPeople.pack(key)), "seed " + seed);
            }
            assertEquals(model, packed.keys(), "seed " + seed + ", step " + step);
            assertEquals(model.size(), packed.size());
        }
    }

    private static String hex(int n) {
        return String.format(Locale.ROOT, "%064x", n * 2654435761L);
    }
}
