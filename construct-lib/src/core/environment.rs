//! Where a stack deploys: an account and a region, or "whatever the credentials say".

use std::fmt;

/// The account and region a stack deploys to. Either may be left unresolved
/// ("environment-agnostic"): the deploy then uses the account and region of the credentials.
///
/// Default: environment-agnostic.
///
/// ```
/// use construct_lib::Environment;
/// let prod = Environment::new("123456789012", "eu-west-1");
/// assert_eq!(prod.to_string(), "aws://123456789012/eu-west-1");
/// assert_eq!(Environment::agnostic().to_string(), "aws://unknown-account/unknown-region");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Environment {
    /// The 12-digit account id, or `None` for the credentials' account.
    pub account: Option<String>,
    /// The region (`eu-west-1`), or `None` for the credentials' region.
    pub region: Option<String>,
}

impl Environment {
    /// A fixed account and region.
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Self {
        Environment {
            account: Some(account.into()),
            region: Some(region.into()),
        }
    }

    /// Resolved at deploy time from the credentials.
    pub fn agnostic() -> Self {
        Environment::default()
    }

    /// A fixed region in the credentials' account.
    pub fn region(region: impl Into<String>) -> Self {
        Environment {
            account: None,
            region: Some(region.into()),
        }
    }

    /// Reports an account or region that cannot be one.
    pub(crate) fn check(&self, problems: &mut crate::problem::Problems<'_>) {
        if let Some(account) = &self.account
            && (account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()))
        {
            problems.error(
                "environment account",
                crate::problem::quoted(account),
                "an AWS account id is 12 digits",
            );
        }
        if let Some(region) = self.region.as_deref().filter(|r| !is_region_name(r)) {
            problems.error(
                "environment region",
                crate::problem::quoted(region),
                "a region name such as `eu-west-1` or `us-gov-west-1`",
            );
        }
    }
}

/// `eu-west-1`, `us-gov-west-1`: lower-case words and digits, the last one a number.
fn is_region_name(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

impl fmt::Display for Environment {
    /// The cloud assembly form: `aws://ACCOUNT/REGION`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "aws://{}/{}",
            self.account.as_deref().unwrap_or("unknown-account"),
            self.region.as_deref().unwrap_or("unknown-region")
        )
    }
}
