package dev.kmapstress.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.settings.ConfigException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shards: deterministic, disjoint slices that together are the whole comparison. */
class ShardTest {

    private static final List<List<String>> GROUPS = List.of(List.of("a1", "a2"), List.of("b1", "b2"),
            List.of("c1", "c2"));

    @Test
    void wholeGroupsGoToOneShardWhenThereAreEnough() {
        assertThat(Shard.parse("1/2").select(GROUPS)).containsExactly("a1", "a2", "c1", "c2");
        assertThat(Shard.parse("2/2").select(GROUPS)).containsExactly("b1", "b2");
        assertThat(Shard.parse("2/2").splitsGroups(GROUPS.size())).isFalse();
    }

    @Test
    void withFewerGroupsThanShardsEachConfigurationIsAUnit() {
        List<String> all = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            List<String> mine = new Shard(k, 4).select(GROUPS);
            assertThat(mine).isNotEmpty().noneMatch(all::contains);
            all.addAll(mine);
        }
        assertThat(all).containsExactlyInAnyOrder("a1", "a2", "b1", "b2", "c1", "c2");
        assertThat(new Shard(1, 4).select(GROUPS)).containsExactly("a1", "c1");
        assertThat(new Shard(1, 4).splitsGroups(GROUPS.size())).isTrue();
    }

    @Test
    void theWholeIsOneShard() {
        assertThat(Shard.WHOLE.select(GROUPS)).containsExactly("a1", "a2", "b1", "b2", "c1", "c2");
        assertThat(Shard.WHOLE.splitsGroups(1)).isFalse();
    }

    @Test
    void badSpellingsAreRefusedWithTheRule() {
        assertThatThrownBy(() -> CompareSettings.SHARD.parse("3/2")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.asOption()).isEqualTo("--shard 3/2: must be K/N with 1 <= K <= N, e.g. 1/4"));
        assertThatThrownBy(() -> Shard.parse("0/2")).hasMessageContaining("1 <= K <= N");
        assertThatThrownBy(() -> Shard.parse("2")).hasMessageContaining("must be K/N");
        assertThatThrownBy(() -> Shard.parse("a/b")).hasMessageContaining("whole numbers");
    }
}
