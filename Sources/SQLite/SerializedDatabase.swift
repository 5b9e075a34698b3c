import Dispatch

/// A connection and the serial queue that is the only place it is used.
///
/// Synchronous calls run on the caller's thread while they hold the queue (`DispatchQueue.sync`);
/// asynchronous ones run on the queue and resume the caller, so that a long statement never holds
/// one of the cooperative pool's threads.
final class SerializedDatabase: @unchecked Sendable {
    // @unchecked: `database` is touched only inside `queue`, which runs one closure at a time.
    private let database: Database
    private let queue: DispatchQueue

    init(_ database: Database) {
        self.database = database
        queue = DispatchQueue(label: "banshi.sqlite.\(database.label)")
    }

    func sync<T>(_ body: (Database) throws -> T) rethrows -> T {
        try queue.sync { try body(database) }
    }

    func async<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        // The closure does not outlive the call, which waits for it to have run; the queue's block
        // holds it through a box emptied before the caller resumes, so that no reference outlives it.
        try await withoutActuallyEscaping(body) { body in
            let box = ClosureBox(body)
            return try await withCheckedThrowingContinuation { continuation in
                queue.async { [self] in
                    let result = box.run(database)
                    continuation.resume(with: result)
                }
            }
        }
    }

    /// Queues `body` and returns at once.
    func enqueue(_ body: @escaping @Sendable (Database) -> Void) {
        queue.async { [self] in body(database) }
    }

    func close() {
        queue.sync { database.close() }
    }
}

/// What can write a database: a `DatabaseQueue` or a `DatabasePool`'s writer.
public protocol DatabaseWriter: Sendable {
    /// Runs `updates` in a transaction, committed when it returns and rolled back if it throws.
    func write<T>(_ updates: (Database) throws -> T) throws -> T
    /// Runs `body` on the writing connection outside any transaction (pragmas, checkpoints, hooks).
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) rethrows -> T
    /// Runs `body` in a read transaction: it sees one snapshot of the database throughout.
    func read<T>(_ body: (Database) throws -> T) throws -> T
}

extension Database {
    /// `body` in an immediate transaction, its value returned once committed.
    func writeTransaction<T>(_ body: (Database) throws -> T) throws -> T { try transaction(.immediate, body) }

    /// `body` in a deferred transaction that is ended without writing.
    func readTransaction<T>(_ body: (Database) throws -> T) throws -> T { try transaction(.deferred, body) }

    private func transaction<T>(_ kind: TransactionKind, _ body: (Database) throws -> T) throws -> T {
        var result: T?
        try inTransaction(kind) {
            result = try body(self)
            return .commit
        }
        return result!
    }
}

/// A closure run once and released before its result is handed on.
private final class ClosureBox<T: Sendable>: @unchecked Sendable {
    // @unchecked: `body` is set at creation and taken once, by the one block that runs it.
    private var body: (@Sendable (Database) throws -> T)?

    init(_ body: @escaping @Sendable (Database) throws -> T) { self.body = body }

    func run(_ database: Database) -> Result<T, any Error> {
        let body = self.body.take()!
        return Result { try body(database) }
    }
}
