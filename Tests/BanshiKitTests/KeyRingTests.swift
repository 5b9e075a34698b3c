import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// The allow-list file: roles, the service a key publishes as, and what a bad entry says.
@Suite("Key ring")
struct KeyRingTests {
    static let key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"

    @Test("A service key publishes as its own name or the service it names; other roles publish as nobody; save and load keep the binding")
    func publishesAs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ring = KeyRing(directory: directory.path, entries: [
            .init(name: "children", publicKey: Self.key, role: .service),
            .init(name: "children-2027", publicKey: Self.key, role: .service, service: "children"),
            .init(name: "admin", publicKey: Self.key, role: .admin),
            .init(name: "feed", publicKey: Self.key, role: .subscriber),
        ])
        try ring.save()
        let loaded = try KeyRing.load(directory: directory.path)
        #expect(loaded.entry(named: "children")?.publishesAs == "children")
        #expect(loaded.entry(named: "children-2027")?.publishesAs == "children")
        #expect(loaded.entry(named: "admin")?.publishesAs == nil)
        #expect(loaded.entry(named: "feed")?.publishesAs == nil)
    }

    @Test("A service binding that is not a service name stops the load, naming the key")
    func badBinding() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "[keys.x]\npublic = \"\(Self.key)\"\nrole = \"service\"\nservice = \"Not A Service\"\n"
            .write(toFile: directory.file("allowed.toml"), atomically: true, encoding: .utf8)
        #expect { try KeyRing.load(directory: directory.path) } throws: { "\($0)".contains("keys.x.service") }
    }
}
