package io.maspush.gateway.pushconfig;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import javax.net.ssl.SSLSocketFactory;

import io.maspush.gateway.pushconfig.ConnectivityReport.Step;

/**
 * One run of the connectivity check: the steps that apply to the route, run in order over
 * one connection until one fails.
 */
final class ConnectivityProbe implements Closeable {

    private final Route route;

    private final Duration timeout;

    private final SSLSocketFactory tls;

    private final Socket socket = new Socket();

    private InetAddress address;

    ConnectivityProbe(Route route, Duration timeout, SSLSocketFactory tls) {
        this.route = route;
        this.timeout = timeout;
        this.tls = tls;
    }

    List<Step> run() {
        List<Step> steps = new ArrayList<>();
        for (PlannedStep planned : plan()) {
            Step step = timed(planned);
            steps.add(step);
            if (!step.ok()) {
                break;
            }
        }
        return steps;
    }

    private List<PlannedStep> plan() {
        List<PlannedStep> plan = new ArrayList<>();
        plan.add(new PlannedStep(Step.DNS, this::resolve));
        plan.add(new PlannedStep(Step.TCP, this::connect));
        if (this.route.proxy() != null) {
            plan.add(new PlannedStep(Step.PROXY, () -> ProxyTunnel.open(this.socket, this.route, this.timeout)));
        }
        if (this.route.https()) {
            plan.add(new PlannedStep(Step.TLS,
                    () -> TlsHandshake.perform(this.socket, this.route, this.timeout, this.tls)));
        }
        return plan;
    }

    private static Step timed(PlannedStep planned) {
        long start = System.nanoTime();
        boolean ok = false;
        String message;
        try {
            message = planned.action().run();
            ok = true;
        }
        catch (StepFailure ex) {
            message = ex.getMessage();
        }
        catch (RuntimeException ex) {
            message = "the check itself failed: " + ex.getClass().getSimpleName() + " " + Messages.describe(ex);
        }
        return new Step(planned.name(), ok, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), message);
    }

    private String resolve() throws StepFailure {
        String host = this.route.firstHopHost();
        boolean proxied = this.route.proxy() != null;
        String subject = (proxied ? "proxy host " : "host ") + host;
        try {
            InetAddress[] addresses = Deadline.run("dns", this.timeout, () -> InetAddress.getAllByName(host), null);
            this.address = addresses[0];
            String found = subject + " resolves to "
                    + Arrays.stream(addresses)
                        .limit(3)
                        .map(InetAddress::getHostAddress)
                        .collect(Collectors.joining(", "));
            return proxied ? found + "; the proxy resolves " + this.route.host() + " itself" : found;
        }
        catch (UnknownHostException ex) {
            throw new StepFailure(
                    subject + " cannot be resolved: check DNS and the " + (proxied ? "proxy address" : "URL"));
        }
        catch (TimeoutException ex) {
            throw new StepFailure(subject + " was not resolved within " + this.timeout.toMillis()
                    + " ms: do the gateway's DNS servers answer?");
        }
        catch (IOException ex) {
            throw new StepFailure("looking up " + subject + " failed: " + Messages.describe(ex));
        }
    }

    private String connect() throws StepFailure {
        String hop = this.route.firstHop();
        try {
            this.socket.connect(new InetSocketAddress(this.address, this.route.firstHopPort()),
                    (int) this.timeout.toMillis());
            return "connected to " + hop + " (" + this.address.getHostAddress() + ")";
        }
        catch (SocketTimeoutException ex) {
            throw new StepFailure(
                    "no TCP connection to " + hop + " within " + this.timeout.toMillis() + " ms: " + reachAdvice());
        }
        catch (ConnectException ex) {
            if (String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
                throw new StepFailure("connection refused by " + hop + ": " + refusedAdvice());
            }
            throw new StepFailure("no TCP connection to " + hop + " (" + Messages.describe(ex) + "): " + reachAdvice());
        }
        catch (NoRouteToHostException ex) {
            throw new StepFailure("no route to " + hop + ": " + reachAdvice());
        }
        catch (IOException ex) {
            throw new StepFailure("TCP connection to " + hop + " failed: " + Messages.describe(ex));
        }
    }

    private String reachAdvice() {
        if (this.route.proxy() != null) {
            return "is the proxy address right, and do the network policy and firewall let the gateway reach it?";
        }
        return "is outbound " + (this.route.https() ? "HTTPS" : "HTTP")
                + " allowed by the network policy, firewall or proxy?";
    }

    private String refusedAdvice() {
        if (this.route.proxy() != null) {
            return "check the proxy address and that the proxy runs";
        }
        return "nothing accepts connections on that port, or a firewall rejects them: check the URL";
    }

    @Override
    public void close() {
        try {
            this.socket.close();
        }
        catch (IOException ex) {
            // Only the check used this connection; it is done with it either way.
        }
    }

    /**
     * A step with the action that performs it.
     *
     * @param name the step's name
     * @param action returns the success message or throws the failure
     */
    private record PlannedStep(String name, StepAction action) {

    }

    @FunctionalInterface
    private interface StepAction {

        String run() throws StepFailure;

    }

}
