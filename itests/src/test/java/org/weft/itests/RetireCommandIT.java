package org.weft.itests;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.weft.client.Client;
import org.weft.client.FutureStatus;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;

/**
 * {@code weft:retire} for real: a worker holding a result only it has is retired from the shell,
 * the result moves to the other worker and stays gatherable. In a framework of its own, because it
 * leaves one worker where {@link ShellCommandsIT} expects two.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RetireCommandIT extends WeftTestSupport {

    private String sh(String command) throws Exception {
        String output = shell(command);
        System.out.println("RetireCommandIT $ " + command + System.lineSeparator() + output);
        return output;
    }

    @Test
    public void retireMovesUniqueResultsAndClosesTheWorker() throws Exception {
        Client client = client();
        WeftFuture f = client.submit(TaskOptions.key("itest-retire"), "inc", 41);
        await("itest-retire in memory", () -> f.status() == FutureStatus.FINISHED);
        Map<String, String> row = table(sh("weft:tasks memory"), "KEY").stream()
                .filter(r -> "itest-retire".equals(r.get("KEY"))).findFirst().orElseThrow();
        String holder = row.get("WORKER");
        List<String> workers = workerAddresses();
        assertEquals(2, workers.size());
        String other = workers.stream().filter(w -> !w.equals(holder)).findFirst().orElseThrow();
        String name = holder.substring(holder.lastIndexOf('/') + 1); // a bare name works too

        String out = sh("weft:retire " + name);

        assertTrue(out, out.contains("retired " + holder + ": 1 result moved"));
        assertTrue(out, out.contains("1 to " + other + ": itest-retire"));
        assertEquals(List.of(other), workerAddresses());
        assertEquals(42L, ((Number) f.get(30, SECONDS)).longValue());

        String last = sh("weft:retire " + other);
        assertTrue(last, last.contains("not retired " + other + ": no other running worker can take its 1 unique result"));
        assertFalse(workerAddresses().isEmpty());
    }
}
