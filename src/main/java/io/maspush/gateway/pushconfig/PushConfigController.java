package io.maspush.gateway.pushconfig;

import java.util.List;

import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.pushconfig.EnvironmentStates.EnvironmentState;
import io.maspush.gateway.pushconfig.PushConfigService.AuditPage;
import io.maspush.gateway.security.ClientRegistry;
import io.maspush.gateway.security.GatewayClient;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API for push environments. An administrator bound to one environment sees and
 * changes only that one; one bound to {@code *} manages all.
 */
@RestController
@RequestMapping(path = "/api/v1/admin/environments", produces = MediaType.APPLICATION_JSON_VALUE)
class PushConfigController {

    static final String ALL_ENVIRONMENTS = ClientRegistry.ALL_ENVIRONMENTS;

    private final PushEnvironments environments;

    private final PushConfigService pushConfig;

    private final EnvironmentStates states;

    private final PushTester tester;

    private final ConnectivityCheck connectivity;

    PushConfigController(PushEnvironments environments, PushConfigService pushConfig, EnvironmentStates states,
            PushTester tester, ConnectivityCheck connectivity) {
        this.connectivity = connectivity;
        this.environments = environments;
        this.pushConfig = pushConfig;
        this.states = states;
        this.tester = tester;
    }

    @GetMapping
    List<EnvironmentState> environments(@AuthenticationPrincipal GatewayClient client) {
        return this.states.all().stream().filter((state) -> mayManage(client, state.name())).toList();
    }

    @GetMapping("/{environment}/push-config")
    PushConfigView view(@AuthenticationPrincipal GatewayClient client, @PathVariable String environment) {
        requireAccess(client, environment);
        return this.pushConfig.view(environment);
    }

    @PutMapping(path = "/{environment}/push-config", consumes = MediaType.APPLICATION_JSON_VALUE)
    PushConfigView update(@AuthenticationPrincipal GatewayClient client, @PathVariable String environment,
            @Valid @RequestBody PushConfigUpdate update) {
        requireAccess(client, environment);
        return this.pushConfig.update(environment, update, client.id());
    }

    @DeleteMapping("/{environment}/push-config")
    PushConfigView revert(@AuthenticationPrincipal GatewayClient client, @PathVariable String environment) {
        requireAccess(client, environment);
        return this.pushConfig.revert(environment, client.id());
    }

    @GetMapping("/{environment}/push-config/history")
    AuditPage history(@AuthenticationPrincipal GatewayClient client, @PathVariable String environment,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        requireAccess(client, environment);
        if (page < 0 || size < 1 || size > 100) {
            throw PushConfigProblems.invalid("page must be 0 or more and size from 1 to 100");
        }
        return this.pushConfig.history(environment, page, size);
    }

    @PostMapping(path = "/{environment}/push-config/test", consumes = MediaType.APPLICATION_JSON_VALUE)
    PushTester.TestResult test(@AuthenticationPrincipal GatewayClient client, @PathVariable String environment,
            @Valid @RequestBody PushTestRequest request) {
        requireAccess(client, environment);
        return this.tester.send(environment, request);
    }

    @PostMapping("/{environment}/connectivity-check")
    ConnectivityReport connectivityCheck(@AuthenticationPrincipal GatewayClient client,
            @PathVariable String environment) {
        requireAccess(client, environment);
        return this.connectivity.check(this.environments.get(environment).settings());
    }

    void requireAccess(GatewayClient client, String environment) {
        if (this.environments.find(environment).isEmpty()) {
            throw PushConfigProblems.unknownEnvironment(environment);
        }
        if (!mayManage(client, environment)) {
            throw PushConfigProblems.otherEnvironment(client.id(), environment);
        }
    }

    private static boolean mayManage(GatewayClient client, String environment) {
        return ALL_ENVIRONMENTS.equals(client.environment()) || client.environment().equals(environment);
    }

}
