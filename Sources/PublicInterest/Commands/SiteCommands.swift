import BanshiKit
import SQLite

/// Sites: water bodies with the target class of their water function zone, and food places.
enum SiteCommands {
    static let register = CommandSpec(
        "site.register", "register a water body (river, lake, reservoir; its target class) or a food place (market, shop, canteen)",
        arguments: [
            ArgumentSpec("kind", .string, required: true, choices: ["water", "food"], "what is sampled there"),
            ArgumentSpec("name", .string, required: true, "the site's name"), ArgumentSpec("district", .string, required: true, "where it is"),
            ArgumentSpec("water_body", .string, choices: WaterBody.names, "water: river, lake or reservoir"),
            ArgumentSpec("target_class", .string, choices: WaterClass.targetNames, "water: the water function zone's target class, I to V"),
            ArgumentSpec("food_place", .string, choices: FoodPlace.names, "food: what kind of place"),
            ArgumentSpec("school_canteen", .boolean, "food: a school canteen"), ArgumentSpec("serves_minors", .boolean, "food: serves minors"),
            ArgumentSpec("operator_credit_code", .string, "food: the operator's unified social credit code, where known"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let kind = try arguments.string("kind")
        let water = kind == "water"
        for (field, needed) in [("water_body", water), ("target_class", water), ("food_place", !water)] where needed != (arguments.values[field] != nil) {
            throw CommandError(.invalidArgument, "a \(kind) site \(needed ? "needs" : "takes no") \(field)", field: field)
        }
        if water, let extra = ["school_canteen", "serves_minors", "operator_credit_code"].first(where: { arguments.values[$0] != nil }) {
            throw CommandError(.invalidArgument, "a water site takes no \(extra)", field: extra)
        }
        let code = try arguments.optionalString("operator_credit_code").map { text throws(CommandError) in try CreditCode(text, field: "operator_credit_code") }
        let canteen = arguments.bool("school_canteen", default: false)
        let minors = arguments.bool("serves_minors", default: false) || canteen
        let id = OpaqueID.make("ST")
        try events.db.execute(
            cached: """
                INSERT INTO site (id, kind, name, district, water_body, target_class, food_place, school_canteen, serves_minors, operator_credit_code, registered_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, kind, try arguments.text("name"), try arguments.text("district"), arguments.optionalString("water_body"),
                arguments.optionalString("target_class"), arguments.optionalString("food_place"), canteen, minors, code?.text,
                Timestamp.format(context.now),
            ])
        var data: [String: JSONValue] = ["site_id": .string(id), "kind": .string(kind)]
        if water {
            data["water_body"] = .string(try arguments.string("water_body"))
            data["target_class"] = .string(try arguments.string("target_class"))
        } else {
            data["food_place"] = .string(try arguments.string("food_place"))
            data["school_canteen"] = .bool(canteen)
            data["serves_minors"] = .bool(minors)
        }
        try events.emit("public-interest.site.registered", subject: "site/\(id)", data: .object(data))
        return ["site_id": .string(id)]
    }
}
