/// A reference to another service's record, as services send them to each other (a child's case that
/// opens aid, a lead that flags an enterprise): the service is one of the suite's, the reference an id
/// of that service. Such references travel on into events, so they are checked before anything is
/// written: free text there (a child's name typed as a reference) would reach every subscriber.
public enum ServiceReference {
    /// The longest reference accepted.
    public static let maximumLength = 64

    /// Checks `service` (one of the suite's services, not `own`) and `reference` (letters, digits and
    /// `- _ . : /`, starting with a letter or digit, at most 64); the error names the field.
    public static func check(
        service: String, reference: String, own: String, serviceField: String, referenceField: String
    ) throws(CommandError) {
        guard service != own, SuiteServices.member(service) != nil else {
            throw CommandError(
                .invalidArgument, "\(serviceField) is another service of the suite (\(SuiteServices.names.filter { $0 != own }.joined(separator: ", "))), not '\(service.prefix(40))'",
                field: serviceField)
        }
        guard isID(reference) else {
            throw CommandError(
                .invalidArgument,
                "\(referenceField) is an id of \(service): letters, digits and - _ . : /, at most \(maximumLength) characters, not free text",
                field: referenceField)
        }
    }

    /// Whether `text` has the shape of an id.
    public static func isID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= maximumLength, first.isASCIIAlphanumeric else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || "-_.:/".unicodeScalars.contains($0) }
    }
}

extension Unicode.Scalar {
    /// 0-9, A-Z or a-z.
    var isASCIIAlphanumeric: Bool { ("0"..."9").contains(self) || ("A"..."Z").contains(self) || ("a"..."z").contains(self) }
}
