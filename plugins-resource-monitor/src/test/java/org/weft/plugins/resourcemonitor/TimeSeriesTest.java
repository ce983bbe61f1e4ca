package org.weft.plugins.resourcemonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One metric's bounded series: grows to its capacity, then keeps the newest points. */
class TimeSeriesTest {

    @Test
    void growsToTheCapacityThenKeepsTheNewestAndCountsTheRest() {
        int capacity = TimeSeries.INITIAL_LENGTH * 3 + 1;
        TimeSeries series = new TimeSeries("m", "count", capacity);
        for (int n = 0; n < capacity; n++) {
            series.add(n, n * 2.0);
        }
        TimeSeries.Points all = series.points();
        assertEquals(capacity, all.times().length);
        assertEquals(0, series.dropped());
        for (int n = 0; n < capacity; n++) {
            assertEquals(n, all.times()[n]);
            assertEquals(n * 2.0, all.values()[n]);
        }
        series.add(capacity, 0);
        series.add(capacity + 1, 0);
        assertEquals(2, series.points().times()[0]);
        assertEquals(2, series.dropped());
    }

    @Test
    void aSmallerCapacityKeepsTheNewestAndALargerOneGrowsAgain() {
        TimeSeries series = new TimeSeries("m", "count", 500);
        for (int n = 0; n < 300; n++) {
            series.add(n, n);
        }
        series.resize(50);
        assertEquals(250, series.points().times()[0]);
        assertEquals(250, series.dropped());
        series.resize(1000);
        for (int n = 300; n < 1200; n++) {
            series.add(n, n);
        }
        TimeSeries.Points p = series.points(); // the 50 kept and the 900 added: all fit
        assertEquals(950, p.times().length);
        assertEquals(250, p.times()[0]);
        assertEquals(1199, p.times()[949]);
        assertEquals(250, series.dropped());
    }
}
