/**
 * A web dashboard for Ergate: overview, jobs, one job, dead letters, served by the JDK's HTTP
 * server from {@link dev.ergate.dashboard.ErgateDashboard#start}. Why it is built this way:
 * the module README.
 */
@NullMarked
package dev.ergate.dashboard;

import org.jspecify.annotations.NullMarked;
