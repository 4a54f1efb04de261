import Foundation
import Hummingbird

/// The OpenAPI 3.0 description of the service, built from one route table
/// (the tests check that the router answers every path it lists).
enum OpenAPI {
    struct Route: Sendable {
        let path: String
        let summary: String
        let parameters: [(name: String, location: String, required: Bool, type: String)]
        let produces: String
    }

    /// The query parameters that name a territory (one of them).
    static let territory: [(name: String, location: String, required: Bool, type: String)] = [
        ("region", "query", false, "string"), ("mrc", "query", false, "string"), ("municipality", "query", false, "string"),
        ("all", "query", false, "string"), ("territory", "query", false, "string"), ("codes", "query", false, "string"),
    ]

    static let routes: [Route] = [
        Route(path: "/", summary: "Page d'accueil OGC API – Features (JSON) ; la visionneuse web (HTML) pour un navigateur (Accept: text/html) ou avec f=html",
              parameters: [("f", "query", false, "string")], produces: "application/json"),
        Route(path: "/conformance", summary: "OGC API – Features : classes de conformité", parameters: [], produces: "application/json"),
        Route(path: "/collections", summary: "OGC API – Features : les collections (étendue, SCR)", parameters: [], produces: "application/json"),
        Route(path: "/collections/{collectionId}", summary: "OGC API – Features : une collection",
              parameters: [("collectionId", "path", true, "string")], produces: "application/json"),
        Route(path: "/collections/{collectionId}/items",
              summary: "OGC API – Features : les entités d'une collection, par pages (limit, offset ; liens next et prev), filtrées par bbox et par propriétés (queryables), en CRS84 ou EPSG:32198 (crs, bbox-crs)",
              parameters: [("collectionId", "path", true, "string"), ("limit", "query", false, "integer"), ("offset", "query", false, "integer"),
                           ("bbox", "query", false, "string"), ("bbox-crs", "query", false, "string"), ("crs", "query", false, "string"),
                           ("datetime", "query", false, "string"), ("radius_km", "query", false, "number")],
              produces: "application/geo+json"),
        Route(path: "/collections/{collectionId}/items/{featureId}", summary: "OGC API – Features : une entité",
              parameters: [("collectionId", "path", true, "string"), ("featureId", "path", true, "string"), ("crs", "query", false, "string"),
                           ("radius_km", "query", false, "number")],
              produces: "application/geo+json"),
        Route(path: "/collections/{collectionId}/queryables", summary: "OGC API – Features : propriétés filtrables (JSON Schema)",
              parameters: [("collectionId", "path", true, "string")], produces: "application/schema+json"),
        Route(path: "/collections/{collectionId}/schema", summary: "OGC API – Features : schéma des propriétés des entités (JSON Schema, lien describedby)",
              parameters: [("collectionId", "path", true, "string")], produces: "application/schema+json"),
        Route(path: "/health", summary: "État du service et du magasin", parameters: [], produces: "application/json"),
        Route(path: "/openapi.json", summary: "Ce document", parameters: [], produces: "application/json"),
        Route(path: "/styles/{file}", summary: "Un style de carte (JSON) : symboles des services, palettes", parameters: [("file", "path", true, "string")],
              produces: "application/json"),
        Route(path: "/regions", summary: "Régions administratives", parameters: [], produces: "application/json"),
        Route(path: "/regions/{code}/mrc", summary: "MRC d'une région", parameters: [("code", "path", true, "string")], produces: "application/json"),
        Route(path: "/mrc/{code}/municipalities", summary: "Municipalités d'une MRC", parameters: [("code", "path", true, "string")],
              produces: "application/json"),
        Route(path: "/indicators", summary: "Indicateurs importés et leurs millésimes", parameters: [], produces: "application/json"),
        Route(path: "/territories", summary: "Territoires personnalisés importés : nom, membres, population",
              parameters: [], produces: "application/json"),
        Route(path: "/portrait/{level}/{code}",
              summary: "Portrait territorial (JSON, HTML, Markdown ou PDF) ; level : region, mrc, municipality, custom (code = identifiant) ou codes (code = C1,C2)",
              parameters: [("level", "path", true, "string"), ("code", "path", true, "string"), ("vintage", "query", false, "integer"),
                           ("compare", "query", false, "integer"), ("reference", "query", false, "string"), ("base", "query", false, "string"),
                           ("max_km", "query", false, "number"), ("max_min", "query", false, "number"), ("lang", "query", false, "string"),
                           ("format", "query", false, "string")],
              produces: "application/json"),
        Route(path: "/portrait/all", summary: "Portrait de l'ensemble du magasin, par région",
              parameters: [("vintage", "query", false, "integer"), ("compare", "query", false, "integer"), ("base", "query", false, "string"),
                           ("lang", "query", false, "string"), ("format", "query", false, "string")],
              produces: "application/json"),
        Route(path: "/gaps", summary: "Lacunes de service : municipalités éloignées, priorités, 2SFCA",
              parameters: territory + [("category", "query", true, "string"), ("max_km", "query", false, "number"), ("max_min", "query", false, "number"),
                                       ("need", "query", false, "string"), ("base", "query", false, "string")], produces: "application/json"),
        Route(path: "/services", summary: "Services (GeoJSON)", parameters: territory + [("bbox", "query", false, "string")], produces: "application/geo+json"),
        Route(path: "/mobilisations", summary: "Mobilisations et couverture par municipalité",
              parameters: territory + [("year", "query", false, "integer")],
              produces: "application/json"),
        Route(path: "/plans", summary: "Plans d'action : cibles et statuts du plan et de chaque concertation locale",
              parameters: [("date", "query", false, "string"), ("lang", "query", false, "string")], produces: "application/json"),
        Route(path: "/plans/{id}", summary: "Tableau de bord d'un plan (HTML, PDF, JSON, CSV, XLSX ; svg : sa carte ; annual=AAAA : rapport annuel)",
              parameters: [("id", "path", true, "string"), ("format", "query", false, "string"), ("axe", "query", false, "string"),
                           ("territoire", "query", false, "string"), ("date", "query", false, "string"), ("annual", "query", false, "integer"),
                           ("lang", "query", false, "string"), ("excel_fr", "query", false, "string")], produces: "text/html"),
        Route(path: "/maps/{level}/{file}", summary: "Carte SVG (file = CODE.svg ; level : region, mrc, municipality, all, custom, codes)",
              parameters: [("level", "path", true, "string"), ("file", "path", true, "string"), ("style", "query", false, "string"),
                           ("indicator", "query", false, "string"), ("vintage", "query", false, "integer"), ("width", "query", false, "number"),
                           ("compare", "query", false, "integer"), ("max_min", "query", false, "number"), ("lang", "query", false, "string")],
              produces: "image/svg+xml"),
        Route(path: "/charts/{level}/{file}", summary: "Graphique SVG (file = CODE.svg) : le territoire à côté de ses territoires de référence (chart=comparaison), ou les MRC d'une région par population (chart=mrc)",
              parameters: [("level", "path", true, "string"), ("file", "path", true, "string"), ("chart", "query", false, "string"),
                           ("lang", "query", false, "string")], produces: "image/svg+xml"),
        Route(path: "/geojson/{layer}", summary: "GeoJSON RFC 7946 d'une couche ou d'une analyse",
              parameters: [("layer", "path", true, "string")] + territory + [
                           ("bbox", "query", false, "string"), ("simplify", "query", false, "number"), ("radius_km", "query", false, "number"),
                           ("category", "query", false, "string"), ("need", "query", false, "string"), ("compare", "query", false, "integer"),
                           ("minutes", "query", false, "string"), ("max_min", "query", false, "number")],
              produces: "application/geo+json"),
        Route(path: "/tiles/{layer}/{z}/{x}/{file}", summary: "Tuile vectorielle MVT 2.1 (file = Y.mvt)",
              parameters: [("layer", "path", true, "string"), ("z", "path", true, "integer"), ("x", "path", true, "integer"),
                           ("file", "path", true, "string")], produces: "application/vnd.mapbox-vector-tile"),
        Route(path: "/tiles/{file}", summary: "TileJSON 3.0 d'une couche (file = COUCHE.json)",
              parameters: [("file", "path", true, "string")], produces: "application/json"),
    ]

    /// A parameter's schema: its type, and the bounds of the OGC API paging (`limit`: 1 to 10,000, 1,000 by default).
    static func schema(_ name: String, _ type: String) -> [String: Any] {
        switch name {
        case "limit": ["type": "integer", "minimum": 1, "maximum": 10_000, "default": 1_000]
        case "offset": ["type": "integer", "minimum": 0, "default": 0]
        default: ["type": type]
        }
    }

    /// `writeKinds`: the kinds of import the service's tokens can write; none, no write route (none is served).
    static func document(writeKinds: [String] = []) -> [String: Any] {
        var paths: [String: Any] = [:]
        for r in routes {
            paths[r.path] = ["get": [
                "summary": r.summary,
                "operationId": r.path.split(separator: "/").map { $0.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "") }
                    .joined(separator: "_").replacingOccurrences(of: ".", with: "_"),
                "parameters": r.parameters.map { ["name": $0.name, "in": $0.location, "required": $0.required, "schema": schema($0.name, $0.type)] },
                "responses": [
                    "200": ["description": "OK", "content": [r.produces: ["schema": ["type": r.produces.contains("json") ? "object" : "string"]]]],
                    "400": ["$ref": "#/components/responses/Error"], "404": ["$ref": "#/components/responses/Error"],
                ],
            ] as [String: Any]]
        }
        if !writeKinds.isEmpty { paths["/imports/{kind}"] = ["post": [
            "summary": "Importer un fichier (corps de la requête) ; seulement si le service a un PORTRAIT_TOKEN",
            "description": "Options de `portrait import KIND` en paramètres de requête, sous leurs noms longs (level, preset, field, vintage, category…) ; "
                + "filename=NOM.ext donne le format. Réponse : le rapport JSON de l'importation, rapport de jointure compris.",
            "operationId": "imports_kind",
            "security": [["bearer": [String]()]],
            "parameters": [["name": "kind", "in": "path", "required": true,
                            "schema": ["type": "string", "enum": writeKinds]],
                           ["name": "filename", "in": "query", "required": false, "schema": ["type": "string"]]],
            "requestBody": ["required": true, "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]]],
            "responses": [
                "200": ["description": "OK", "content": ["application/json": ["schema": ["type": "object"]]]],
                "400": ["$ref": "#/components/responses/Error"], "401": ["$ref": "#/components/responses/Error"],
                "403": ["$ref": "#/components/responses/Error"],
                "413": ["$ref": "#/components/responses/Error"], "503": ["$ref": "#/components/responses/Error"],
            ],
        ] as [String: Any]] }
        return [
            "openapi": "3.0.3",
            "info": ["title": "Portrait", "version": "1.0.0",
                     "description": "Portraits territoriaux du Québec : territoires, indicateurs, cartes, GeoJSON, services et mobilisations."],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "responses": ["Error": ["description": "Erreur (JSON)", "content": ["application/json": ["schema": [
                "type": "object", "properties": ["error": ["type": "string"], "message": ["type": "string"], "status": ["type": "string"]],
                "required": ["error", "message", "status"]]]]]]],
        ]
    }

    static func response(writeKinds: [String] = []) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: document(writeKinds: writeKinds), options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
