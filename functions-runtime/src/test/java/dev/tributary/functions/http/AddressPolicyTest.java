package dev.tributary.functions.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1        | loopback",
            "127.255.0.9      | loopback",
            "0.0.0.0          | unspecified",
            "10.0.0.1         | private",
            "172.16.0.1       | private",
            "172.31.255.255   | private",
            "192.168.1.1      | private",
            "100.64.0.1       | carrier-grade NAT",
            "169.254.169.254  | link-local",
            "224.0.0.1        | multicast",
            "255.255.255.255  | reserved",
            "198.18.0.1       | benchmarking",
            "::1              | loopback",
            "::               | unspecified",
            "fe80::1          | link-local",
            "fc00::1          | unique-local",
            "fd12:3456::1     | unique-local",
            "fec0::1          | site-local",
            "ff02::1          | multicast",
            "::ffff:127.0.0.1 | loopback",
            "::ffff:a9fe:a9fe | link-local",
            "::10.0.0.1       | 'private, as IPv4-compatible'",
            "64:ff9b::a00:1   | 'private, as NAT64'",
            "2002:7f00:1::1   | 'loopback, as 6to4'",
    })
    void refusesAddressesThatAreNotPublic(String literal, String reason) throws UnknownHostException {
        assertThat(AddressPolicy.nonPublic(InetAddress.getByName(literal))).contains(reason);
    }

    @ParameterizedTest
    @CsvSource({"8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8"})
    void allowsPublicAddresses(String literal) throws UnknownHostException {
        assertThat(AddressPolicy.nonPublic(InetAddress.getByName(literal))).isEmpty();
    }

    @Test
    void anIpv4MappedAddressKeptInIpv6FormIsJudgedByItsIpv4Part() throws UnknownHostException {
        // given ::ffff:10.0.0.1 as sixteen bytes (the JDK's parser would make it an IPv4 address)
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        bytes[12] = 10;
        bytes[15] = 1;

        // when
        Optional<String> reason = AddressPolicy.nonPublic(java.net.Inet6Address.getByAddress(null, bytes, -1));

        // then
        assertThat(reason).contains("private, as IPv4-mapped");
    }

    @Test
    void aNameIsRefusedWhenItResolvesToAnAddressThatIsNotPublic() throws UnknownHostException {
        // when
        Optional<AddressPolicy.Refusal> refusal = AddressPolicy.publicOnly().check("localhost", 80);

        // then
        assertThat(refusal).hasValueSatisfying(r -> assertThat(r.describe()).matches("localhost resolves to (127\\.0\\.0\\.1|0:0:0:0:0:0:0:1) \\(loopback\\)"));
    }

    @Test
    void anAddressLiteralIsDescribedAsWhatItIs() throws UnknownHostException {
        assertThat(AddressPolicy.publicOnly().check("[::1]", 80)).hasValueSatisfying(r -> assertThat(r.describe()).isEqualTo("[::1] is loopback"));
        assertThat(AddressPolicy.publicOnly().check("10.0.0.1", 80)).hasValueSatisfying(r -> assertThat(r.describe()).isEqualTo("10.0.0.1 is private"));
    }

    @Test
    void oneExceptionAllowsExactlyThatAddressAndPort() throws UnknownHostException {
        // given
        AddressPolicy policy = AddressPolicy.publicOnly().alsoAllowing(new InetSocketAddress("127.0.0.1", 8080));

        // then
        assertThat(policy.check("127.0.0.1", 8080)).isEmpty();
        assertThat(policy.check("127.0.0.1", 8081)).isPresent();
        assertThat(policy.check("127.0.0.2", 8080)).isPresent();
    }

    @Test
    void allowingPrivateAllowsEverything() throws UnknownHostException {
        assertThat(AddressPolicy.allowingPrivate().check("169.254.169.254", 80)).isEmpty();
        assertThat(AddressPolicy.of(false).check("169.254.169.254", 80)).isPresent();
    }

    @Test
    void aNameThatDoesNotResolveIsAnError() {
        assertThatThrownBy(() -> AddressPolicy.publicOnly().check("no-such-host.invalid", 80)).isInstanceOf(UnknownHostException.class);
    }
}
