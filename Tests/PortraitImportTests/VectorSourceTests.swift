import Foundation
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
@testable import PortraitStore
import PortraitTestSupport
import Testing

func tempPath(_ name: String) -> String { (tempDir() as NSString).appendingPathComponent(name) }

/// The fingerprints of the imports log: swift-crypto's SHA-256 over files, read in blocks.
struct FileDigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(_ input: String, _ digest: String) throws {
        let path = tempPath("v.txt")
        FileManager.default.createFile(atPath: path, contents: Data(input.utf8))
        #expect(try FileDigest.sha256(path) == digest)
    }

    @Test func millionAs() throws {
        let path = tempPath("a.txt")
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x61, count: 1_000_000))
        #expect(try FileDigest.sha256(path) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Over several 1 MiB read blocks (digest from Python's hashlib).
        let big = tempPath("b.txt")
        FileManager.default.createFile(atPath: big, contents: Data(repeating: 0x61, count: 3 * 1024 * 1024 + 7))
        #expect(try FileDigest.sha256(big) == "7d8aedf62548b6943c912ca5192d7a2c13322cd689d7a47d4b3944b4bb2e30c6")
    }
}

struct VectorSourceTests {
    @Test func gdalOpensTheStore() throws {
        let path = tempPath("g.gpkg")
        let gp = try GeoPackage(path: path, create: true)
        try gp.db.transaction {
            try gp.createFeatureTable("pts", geometryType: "POINT", columns: [("nom", "TEXT")], identifier: "pts", description: "")
            try gp.db.run("INSERT INTO pts (geom, nom) VALUES (?, ?)", [GeoPackage.blob(.point(Point(x: -68.52, y: 48.45))), .text("Rimouski")])
        }
        let layer = try VectorSource.read(path: path)
        #expect(layer.driver == "GPKG")
        #expect(layer.crsName == "EPSG:4326")
        #expect(layer.features.count == 1)
        #expect(layer.features[0].attributes["nom"] == .string("Rimouski"))
        #expect(layer.features[0].geometry == .point(Point(x: -68.52, y: 48.45)))
    }


    @Test func readsGeoJSONWithTypes() throws {
        let path = tempPath("a.geojson")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"07005","n":3,"x":1.5},"geometry":{"type":"Point","coordinates":[-68.5,48.4]}}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let l = try VectorSource.read(path: path)
        #expect(l.fields == ["code", "n", "x"])
        #expect(l.features[0].attributes["code"] == .string("07005"))
        #expect(l.features[0].attributes["n"] == .int(3))
        #expect(l.features[0].attributes["x"] == .double(1.5))
        #expect(l.crsName == "EPSG:4326")
    }

    @Test func missingAndUnreadableFiles() throws {
        #expect(throws: SourceError.fileNotFound(path: "/nonexistent/x.geojson")) {
            try VectorSource.read(path: "/nonexistent/x.geojson")
        }
        let path = tempPath("junk.geojson")
        try Data([0x00, 0x01, 0xFF, 0x13]).write(to: URL(fileURLWithPath: path))
        #expect { try VectorSource.read(path: path) } throws: { e in
            if case .notAGeoFile = e as? SourceError { return true } else { return false }
        }
    }
}
