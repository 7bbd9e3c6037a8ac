package dev.steward.testing;

import java.time.Duration;
import java.time.Instant;

/** Submitting tasks and waiting for them, over the tasks API. */
public final class Tasks {

    private Tasks() {
    }

    /** Submits a task (the JSON body of {@code POST /api/v1/tasks}) and returns its id. */
    public static String submit(String apiKey, String json) {
        return Api.as(apiKey).body(json).post("/api/v1/tasks").then().statusCode(201).extract().path("id");
    }

    /** Waits up to {@code timeout} for the task to reach {@code wanted}; returns the state it was last seen in. */
    public static String awaitState(String apiKey, String id, String wanted, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String state = null;
        while (Instant.now().isBefore(deadline)) {
            state = Api.as(apiKey).get("/api/v1/tasks/" + id).then().statusCode(200).extract().path("state");
            if (wanted.equals(state)) {
                return state;
            }
            pause(50);
        }
        return state;
    }

    public static String awaitState(String apiKey, String id, String wanted) {
        return awaitState(apiKey, id, wanted, Duration.ofSeconds(15));
    }

    /** Sleeps between polls; an interruption fails the test. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
