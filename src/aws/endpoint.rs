//! The endpoint and the region, checked before the SDK sees them. The SDK panics on an empty
//! endpoint URL, connects to port 80 when the port does not fit in 16 bits, and sends a region
//! with dots or spaces as part of every host name; here each is refused with the reason and the
//! flag or variable that gave it, before any call.

/// Why the endpoint URL `url` cannot be used, or `None` when it can: an `http` or `https` URL
/// with a host and, when given, a port from 1 to 65535.
pub(super) fn endpoint_problem(url: &str) -> Option<String> {
    if url.trim().is_empty() {
        return Some("it is empty".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains a space or a control character".into());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Some("it does not start with `http://` or `https://`".into());
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Some(format!(
            "the scheme `{}` is not `http` or `https`",
            shown(scheme)
        ));
    }
    // An explicit port is checked on the text: the URL parser leaves out a default port, and
    // the SDK's own reading falls back to port 80 when it does not fit.
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_end = authority.rfind(']').map_or(0, |i| i + 1);
    if let Some((_, port)) = authority[host_end..].rsplit_once(':') {
        let valid = port
            .parse::<u32>()
            .is_ok_and(|p| (1..=65535).contains(&p) && !port.starts_with('+'));
        if !valid {
            return Some(format!(
                "the port `{}` is not a port number (1–65535)",
                shown(port)
            ));
        }
    }
    match url::Url::parse(url) {
        Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) => None,
        Ok(_) => Some("it names no host".into()),
        Err(e) => Some(e.to_string()),
    }
}

/// Why `region` is not an AWS region name, or `None` when it is one: lowercase letters, digits
/// and hyphens (`us-east-1`), as the SDK puts it into every host name.
pub(super) fn region_problem(region: &str) -> Option<String> {
    if region.is_empty() {
        return Some("it is empty".into());
    }
    if region.len() > 63 {
        return Some(format!("it is {} characters long", region.len()));
    }
    if let Some(c) = region
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        let what = match c {
            ' ' => "a space".to_string(),
            c if c.is_control() => "a control character".to_string(),
            c => format!("`{c}`"),
        };
        return Some(format!(
            "it contains {what}; a region is lowercase letters, digits and hyphens"
        ));
    }
    if region.starts_with('-') || region.ends_with('-') {
        return Some("it starts or ends with a hyphen".into());
    }
    None
}

/// `text` to echo in a message: on one line, at most 80 characters.
pub(super) fn shown(text: &str) -> String {
    crate::text::shown(text, 80)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_endpoints() {
        for url in [
            "http://127.0.0.1:4566",
            "https://localhost",
            "http://[::1]:4566/",
            "https://elasticloadbalancing.us-east-1.amazonaws.com",
            "HTTP://emulator:65535/path",
        ] {
            assert_eq!(endpoint_problem(url), None, "{url}");
        }
    }

    #[test]
    fn unusable_endpoints_say_why() {
        for (url, why) in [
            ("", "it is empty"),
            ("  ", "it is empty"),
            (
                "http://127.0.0.1:99999",
                "the port `99999` is not a port number",
            ),
            ("http://127.0.0.1:0", "the port `0`"),
            ("http://127.0.0.1:", "the port ``"),
            ("http://[::1]:70000", "the port `70000`"),
            ("http://127.0.0.1:+80", "the port `+80`"),
            ("localhost:4566", "does not start with `http://`"),
            ("ftp://localhost", "the scheme `ftp`"),
            ("http://", "empty host"),
            ("http://local host", "a space"),
            ("http://a\nb", "a control character"),
        ] {
            let problem = endpoint_problem(url).unwrap_or_default();
            assert!(problem.contains(why), "{url:?}: {problem}");
        }
    }

    #[test]
    fn regions_are_host_labels() {
        for ok in ["us-east-1", "eu-central-2", "us-gov-west-1", "local"] {
            assert_eq!(region_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("us.east.1", "`.`"),
            ("us east 1", "a space"),
            ("US-EAST-1", "`U`"),
            ("", "empty"),
            ("-us", "hyphen"),
            ("us-east-1\n", "a control character"),
        ] {
            let problem = region_problem(bad).unwrap_or_default();
            assert!(problem.contains(why), "{bad:?}: {problem}");
        }
        assert!(region_problem(&"a".repeat(64)).is_some());
    }

    #[test]
    fn long_text_is_cut() {
        let shown = shown(&"x".repeat(100_000));
        assert!(shown.ends_with("… (100000 bytes)"), "{shown}");
        assert!(shown.chars().count() < 100);
    }
}
