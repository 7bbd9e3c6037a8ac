package dev.steward.sessions.internal;

import dev.steward.shared.Logs;
import dev.steward.shared.StewardStarted;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.DatabaseNotifications;
import dev.steward.tenancy.api.TenantScope;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SSE streams this node serves. The database is the source: a stream first gets what it missed (events after
 * its Last-Event-ID), then whatever any node appends, announced on {@code steward_session_events} (the payload
 * names the tenant and session; the events are read back under that tenant's row-level security). One read per
 * session serves all of its streams; reads for one session never overlap, and a notification that arrives during
 * one makes it read again. The listener subscribes at start-up, and after its connection was lost every watched
 * session is read again. Every 15 s a comment keeps idle streams open and finds the closed ones.
 */
@ApplicationScoped
class SessionStreams {

    private static final Logger LOG = Logs.of(SessionStreams.class);
    private static final int BATCH = 500;
    private static final long KEEPALIVE_SECONDS = 15;

    @Inject
    DatabaseNotifications notifications;

    @Inject
    TenantScope scope;

    @Inject
    EventLog log;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Map<UUID, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile ScheduledFuture<?> keepalive;

    /** One client's stream and the last event it was sent. */
    private static final class Stream {
        final SseEventSink sink;
        final Sse sse;
        volatile long lastSent;

        Stream(SseEventSink sink, Sse sse, long lastSent) {
            this.sink = sink;
            this.sse = sse;
            this.lastSent = lastSent;
        }
    }

    /** A session's streams on this node; {@code dirty} asks for another read, {@code reading} keeps reads single. */
    private static final class Watched {
        final TenantId tenant;
        final Set<Stream> streams = ConcurrentHashMap.newKeySet();
        final AtomicBoolean dirty = new AtomicBoolean();
        final AtomicBoolean reading = new AtomicBoolean();

        Watched(TenantId tenant) {
            this.tenant = tenant;
        }
    }

    /** Listens from start-up, so that the first stream does not miss what is appended while LISTEN begins. */
    void listen(@Observes StewardStarted started) {
        startListening();
    }

    /** Starts streaming a session to a client, from the event after {@code lastEventId}. */
    void open(TenantId tenant, UUID sessionId, long lastEventId, SseEventSink sink, Sse sse) {
        startListening();
        Stream stream = new Stream(sink, sse, lastEventId);
        // Atomic with dropping a session whose streams are gone (drop), so a new stream never joins a dropped one.
        watched.compute(sessionId, (id, session) -> {
            Watched joined = session == null ? new Watched(tenant) : session;
            joined.streams.add(stream);
            return joined;
        });
        changed(sessionId);
    }

    private void startListening() {
        if (started.compareAndSet(false, true)) {
            notifications.subscribe(EventLog.CHANNEL, this::notified);
            keepalive = scheduler.scheduleAtFixedRate(this::keepAlive, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void close() {
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        watched.values().forEach(session -> session.streams.forEach(stream -> stream.sink.close()));
    }

    /** Empty payload: notifications may have been lost, so every watched session reads again. */
    private void notified(Optional<String> payload) {
        if (payload.isEmpty()) {
            watched.keySet().forEach(this::changed);
            return;
        }
        String[] parts = payload.get().split(":");
        if (parts.length == 2) {
            UUID sessionId = UUID.fromString(parts[1]);
            if (watched.containsKey(sessionId)) {
                changed(sessionId);
            }
        }
    }

    private void changed(UUID sessionId) {
        Watched session = watched.get(sessionId);
        if (session == null) {
            return;
        }
        session.dirty.set(true);
        if (session.reading.compareAndSet(false, true)) {
            try {
                executor.execute(() -> read(sessionId, session));
            } catch (RejectedExecutionException e) {
                session.reading.set(false); // the server is stopping
            }
        }
    }

    private void read(UUID sessionId, Watched session) {
        try {
            while (session.dirty.getAndSet(false)) {
                deliver(sessionId, session);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reading a session's events for its streams failed", e);
        } finally {
            session.reading.set(false);
        }
        if (session.dirty.get()) {
            changed(sessionId);
        }
        drop(sessionId, session);
    }

    /** Forgets a session once it has no streams left, unless a stream joined it meanwhile. */
    private void drop(UUID sessionId, Watched session) {
        watched.computeIfPresent(sessionId, (id, current) -> current == session && current.streams.isEmpty()
                ? null : current);
    }

    /**
     * Sends the streams there were when it started what each has not had. A stream that joins meanwhile marks the
     * session dirty, so the next round (which starts from its position) serves it.
     */
    private void deliver(UUID sessionId, Watched session) {
        List<Stream> streams = List.copyOf(session.streams);
        long from = streams.stream().mapToLong(stream -> stream.lastSent).min().orElse(Long.MAX_VALUE);
        while (from != Long.MAX_VALUE) {
            long after = from;
            List<SessionEvent> events = scope.call(session.tenant, () -> log.after(sessionId, after, BATCH));
            for (Stream stream : streams) {
                events.stream().filter(event -> event.seq() > stream.lastSent).forEach(event -> send(session,
                        stream, event));
            }
            if (events.size() < BATCH) {
                return;
            }
            from = events.get(events.size() - 1).seq();
        }
    }

    private void send(Watched session, Stream stream, SessionEvent event) {
        if (stream.sink.isClosed()) {
            session.streams.remove(stream);
            return;
        }
        OutboundSseEvent outbound = stream.sse.newEventBuilder().id(Long.toString(event.seq())).name(event.type())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, event.json()).build();
        stream.sink.send(outbound).whenComplete((ignored, failure) -> {
            if (failure != null) {
                session.streams.remove(stream);
                stream.sink.close();
            }
        });
        stream.lastSent = event.seq();
    }

    private void keepAlive() {
        for (Map.Entry<UUID, Watched> entry : watched.entrySet()) {
            for (Stream stream : entry.getValue().streams) {
                if (stream.sink.isClosed()) {
                    entry.getValue().streams.remove(stream);
                } else {
                    stream.sink.send(stream.sse.newEventBuilder().comment("keep-alive").build())
                            .whenComplete((ignored, failure) -> {
                                if (failure != null) {
                                    entry.getValue().streams.remove(stream);
                                    stream.sink.close();
                                }
                            });
                }
            }
            drop(entry.getKey(), entry.getValue());
        }
    }
}
