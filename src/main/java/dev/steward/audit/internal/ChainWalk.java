package dev.steward.audit.internal;

import dev.steward.audit.api.AuditReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@link AuditReader}: searches through the store, and verifies the chain a stretch at a time. Each stretch is its
 * own short transaction, so verifying a long trail holds no transaction (nor the chain's head) for minutes, and the
 * caller can show how far it got. Entries are only ever appended, so stretches read at different moments still make
 * one chain; what was appended during the walk is walked before the end is compared with the chain's head.
 */
@ApplicationScoped
class ChainWalk implements AuditReader {

    @Inject
    AuditStore store;

    @Inject
    @ConfigProperty(name = "steward.audit.verify-stretch", defaultValue = "5000")
    int stretch;

    @Override
    public List<Entry> search(Search search, int offset, int limit) {
        return store.query(new AuditStore.Filter(search.action(), search.actor(), null, null, null, null,
                search.from(), search.to(), null, limit, offset)).stream().map(ChainWalk::entry).toList();
    }

    @Override
    public Verification verify(Progress progress) {
        long total = store.tail().entries();
        long afterSeq = 0;
        byte[] previous = new byte[0];
        long walked = 0;
        while (true) {
            List<AuditStore.Checked> checked = store.stretch(afterSeq, previous, walked, stretch);
            for (AuditStore.Checked entry : checked) {
                String problem = !entry.contentOk() ? "content" : !entry.linkOk() ? "link"
                        : !entry.inPlace() ? "gap" : null;
                if (problem != null) {
                    return new Verification(false, Math.max(total, walked), walked, null, null, entry.seq(), problem);
                }
                afterSeq = entry.seq();
                previous = entry.hash();
                walked++;
            }
            progress.walked(walked, Math.max(total, walked));
            if (checked.size() == stretch) {
                continue;
            }
            AuditStore.Tail tail = store.tail();
            long lastSeq = tail.lastSeq() == null ? 0 : tail.lastSeq();
            if (lastSeq > afterSeq) {
                continue; // appended while we walked
            }
            long headSeq = tail.headSeq() == null ? 0 : tail.headSeq();
            boolean headMatches = lastSeq == headSeq && (tail.headHash() == null || tail.lastHash() == null
                    ? headSeq == 0 : Arrays.equals(tail.headHash(), tail.lastHash()));
            if (!headMatches) {
                return new Verification(false, tail.entries(), walked, null, null, lastSeq + 1, "missing");
            }
            return new Verification(true, tail.entries(), walked, tail.lastSeq(),
                    tail.lastHash() == null ? null : HexFormat.of().formatHex(tail.lastHash()), null, null);
        }
    }

    private static Entry entry(AuditViews.Entry entry) {
        return new Entry(entry.seq(), entry.occurredAt(), entry.actor(), entry.action(), uuid(entry.agentId()),
                uuid(entry.sessionId()), uuid(entry.runId()), entry.recordId(), entry.details().toString(),
                entry.hash());
    }

    private static UUID uuid(String text) {
        return text == null ? null : UUID.fromString(text);
    }
}
