import Crypto
import PortraitModel
import Foundation

/// The Content-Security-Policy of what Portrait publishes: the served pages, the SVG maps, and the page the PDF
/// printer reads. Script only from the service itself (and the dashboard's one inline script, by its hash), no
/// frame, no plug-in, no base; the printer's page may load nothing at all.
public enum PagePolicy {
    /// The SHA-256 source of an inline script, as CSP names it (`'sha256-…'`).
    static func hashSource(_ script: String) -> String {
        "'sha256-" + Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString() + "'"
    }

    /// Served HTML pages (viewer, reports, dashboards, OGC pages). `imageOrigins`: the basemap's origin, when one is set.
    public static func html(imageOrigins: [String] = []) -> String {
        let images = (["'self'", "data:"] + imageOrigins).joined(separator: " ")
        return "default-src 'self'; script-src 'self' \(hashSource(PlanPage.inlineScript)); style-src 'self' 'unsafe-inline'; img-src \(images); "
            + "connect-src 'self'; font-src 'self' data:; object-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; "
            + "base-uri 'none'; form-action 'self'"
    }

    /// An SVG map opened on its own: styles inline, nothing else.
    public static let svg = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

    /// The page Chromium prints: nothing loaded (no file, no network, no frame), no script.
    public static let print = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; script-src 'none'; "
        + "object-src 'none'; frame-src 'none'; child-src 'none'; connect-src 'none'; media-src 'none'; base-uri 'none'; form-action 'none'"

    /// `html` with the policy as its first `<head>` element (a `<meta http-equiv>`), so that it holds before any content.
    public static func withMeta(_ html: String, policy: String) -> String {
        let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Escape.html(policy))\">"
        if let r = html.range(of: "<head>", options: .caseInsensitive) {
            return html.replacingCharacters(in: r, with: html[r] + meta)
        }
        return meta + html
    }
}
