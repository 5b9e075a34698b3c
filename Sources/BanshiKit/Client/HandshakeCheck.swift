import ZeroMQ

extension ControlClientError {
    /// This error, or the handshake behind it. A service's long-lived clients do not watch their
    /// handshakes (`ControlClient.init` says why), so to them a key the service refuses, or a server
    /// key that is not the one the service runs with, is only a timeout: what the operator reads would
    /// be "did not answer" of a service that is up. For a timeout this asks once more, `status` on a
    /// fresh connection whose handshakes are watched and which is closed at once, and returns the
    /// refusal or the failed handshake that connection meets; otherwise (the service is down, or
    /// answers now) the error as it was. It waits `limit` at most.
    public func explained(
        context: Context, identity: CurveIdentity? = TransportSecurity.current, within limit: Duration = .milliseconds(500)
    ) -> ControlClientError {
        guard case .timeout(let service, let endpoint, let after) = self else { return self }
        let client: ControlClient
        do {
            client = try ControlClient(
                context: context, service: service, endpoint: endpoint, timeout: limit, identity: identity, watchHandshakes: true)
        } catch {
            return self
        }
        do {
            _ = try client.call("status")
            return self
        } catch {
            switch error {
            case .refused: return error
            case .handshakeFailed(let service, let endpoint, _, let serverKey):
                // Named with the time the failed call waited, not this check's.
                return .handshakeFailed(service: service, endpoint: endpoint, after: after, serverKey: serverKey)
            default: return self
            }
        }
    }

    /// `error`, explained (`explained(context:)`) when it is a control client's: what a service's own
    /// client logs and records when a call failed.
    public static func explaining(_ error: any Error, context: Context) -> any Error {
        (error as? ControlClientError)?.explained(context: context) ?? error
    }
}
