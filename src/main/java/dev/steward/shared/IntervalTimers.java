package dev.steward.shared;

import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;

/**
 * One persistent EJB interval timer per purpose for the whole installation: Liberty runs a persistent timer on one
 * node at a time and fails it over when that node stops. Nodes starting together would each create one, so the
 * caller serialises creation (an advisory lock in the creating transaction, taken by {@code lock}). The timer's
 * name carries its interval, so a changed interval replaces the old timer instead of adding a second.
 */
public final class IntervalTimers {

    private IntervalTimers() {
    }

    /** Creates the timer {@code name} every {@code seconds} unless it exists; true when it was created. */
    public static boolean ensure(TimerService timers, String name, long seconds, Runnable lock) {
        String wanted = name + "/" + seconds + "s";
        lock.run();
        boolean present = false;
        for (Timer timer : timers.getTimers()) {
            String info = String.valueOf(timer.getInfo());
            if (info.equals(wanted) && !present) {
                present = true;
            } else if (info.startsWith(name + "/")) {
                timer.cancel(); // an older interval, or a twin from nodes that started together
            }
        }
        if (!present) {
            timers.createIntervalTimer(seconds * 1000, seconds * 1000, new TimerConfig(wanted, true));
        }
        return !present;
    }
}
