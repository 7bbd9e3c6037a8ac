package dev.steward.dispatch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.shared.InternalAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPolicyTest {

    private final WebhookPolicy policy = new WebhookPolicy(List.of("hooks.example.com", "*.acme.test",
            "ci.example.com:8443", "dev.example.com:*"), false);

    @Test
    void onlyAllowListedHostsAndPortsMayBeCalled() {
        assertThat(policy.refusal(URI.create("https://hooks.example.com/x"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://hooks.example.com/x"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://hooks.example.com:6379/x"))).isPresent();
        assertThat(policy.refusal(URI.create("https://a.b.acme.test/x"))).isEmpty();
        assertThat(policy.refusal(URI.create("https://acme.test.evil.com/x"))).isPresent();
        assertThat(policy.refusal(URI.create("https://ci.example.com:8443/x"))).isEmpty();
        assertThat(policy.refusal(URI.create("https://ci.example.com/x"))).isPresent();
        assertThat(policy.refusal(URI.create("http://dev.example.com:9000/x"))).isEmpty();
        assertThat(policy.refusal(URI.create("https://user:pw@hooks.example.com/x"))).isPresent();
        assertThat(policy.refusal(URI.create("ftp://hooks.example.com/x"))).isPresent();
        assertThat(policy.refusal(URI.create("/relative"))).isPresent();
    }

    @Test
    void internalAddressesAreRecognisedInEveryDisguise() throws Exception {
        for (String internal : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "2002:7f00:1::",
                "64:ff9b::a9fe:a9fe", "224.0.0.1")) {
            assertThat(InternalAddresses.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : List.of("93.184.216.34", "100.128.0.1", "2606:4700::1111", "2002:5db8:d822::")) {
            assertThat(InternalAddresses.isInternal(InetAddress.getByName(external))).as(external).isFalse();
        }
    }
}
