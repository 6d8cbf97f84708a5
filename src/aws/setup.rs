//! Loading the SDK configuration, and saying in words a person can act on why it cannot make a
//! call: a profile that does not exist, no region, no credentials at all, an SSO session that
//! has expired (or was never started). Each is found before any AWS call, so the on-call
//! engineer at 3 a.m. reads the command that fixes it rather than an SDK error chain.

use super::endpoint::{endpoint_problem, region_problem, shown};
use crate::text::line;
use aws_config::profile::ProfileSet;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::ProvideCredentials;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_types::os_shim_internal::{Env, Fs};
use std::time::Duration;

/// How to reach AWS, as given on the command line.
#[derive(Clone, Debug, Default)]
pub struct AwsOptions {
    pub endpoint_url: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AwsSetupError {
    #[error(
        "no AWS region is configured: pass --region, set AWS_REGION, or give the profile a region"
    )]
    NoRegion,

    #[error(
        "the AWS profile `{profile}` does not exist in the AWS config or credentials files \
         ({known}): check the name given with --profile or AWS_PROFILE, or create it with `aws \
         configure --profile {profile}`"
    )]
    NoSuchProfile { profile: String, known: String },

    #[error(
        "no AWS credentials found{where_}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass \
         --profile, or run `aws configure` (or `aws sso login`) first"
    )]
    NoCredentials { where_: String },

    #[error(
        "the SSO session of AWS profile `{profile}` has expired or was never started: run `aws \
         sso login --profile {profile}`, then try again"
    )]
    SsoLogin { profile: String },

    #[error("cannot load the AWS credentials{where_}: {why}")]
    Credentials { where_: String, why: String },

    #[error(
        "{given_by} `{url}` is not an endpoint URL: {why}; give one such as \
         `http://localhost:4566`, or leave it out to call AWS's own endpoints"
    )]
    BadEndpoint {
        given_by: &'static str,
        url: String,
        why: String,
    },

    #[error(
        "{given_by} `{region}` is not an AWS region: {why}; give a region such as `us-east-1`"
    )]
    BadRegion {
        given_by: &'static str,
        region: String,
        why: String,
    },
}

/// Loads the shared SDK configuration and its credentials, refusing before any AWS call with
/// the reason when a call could not be made.
pub async fn load_config(options: &AwsOptions) -> Result<SdkConfig, AwsSetupError> {
    check_endpoint(options)?;
    if let Some(region) = &options.region {
        check_region("--region", region)?;
    }
    let profile = options
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .filter(|p| !p.is_empty());
    let profiles = match &profile {
        Some(name) => Some(check_profile(name).await?),
        None => None,
    };
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        aws_config::timeout::TimeoutConfig::builder()
            .operation_timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(5))
            .build(),
    );
    if let Some(endpoint) = &options.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    let config = loader.load().await;
    let Some(region) = config.region() else {
        return Err(AwsSetupError::NoRegion);
    };
    check_region(
        "the AWS region (from AWS_REGION or the profile)",
        region.as_ref(),
    )?;
    check_credentials(&config, profile.as_deref(), profiles.as_ref()).await?;
    Ok(config)
}

/// The endpoint `--endpoint-url` or `AWS_ENDPOINT_URL` gives (aws-config reads the variable
/// itself), refused before the SDK can panic on it or call another port.
fn check_endpoint(options: &AwsOptions) -> Result<(), AwsSetupError> {
    let given = match &options.endpoint_url {
        Some(url) => Some(("--endpoint-url", url.clone())),
        None => std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .map(|url| ("AWS_ENDPOINT_URL", url)),
    };
    let Some((source, url)) = given else {
        return Ok(());
    };
    match endpoint_problem(&url) {
        None => Ok(()),
        Some(why) => Err(AwsSetupError::BadEndpoint {
            given_by: source,
            url: shown(&url),
            why,
        }),
    }
}

fn check_region(source: &'static str, region: &str) -> Result<(), AwsSetupError> {
    match region_problem(region) {
        None => Ok(()),
        Some(why) => Err(AwsSetupError::BadRegion {
            given_by: source,
            region: shown(region),
            why,
        }),
    }
}

/// The profiles of the AWS config and credentials files, when `name` is one of them.
async fn check_profile(name: &str) -> Result<ProfileSet, AwsSetupError> {
    let loaded = aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        &Default::default(),
        Some(name.to_string().into()),
    )
    .await;
    let profiles = loaded.map_err(|e| AwsSetupError::Credentials {
        where_: format!(" of profile `{name}`"),
        why: line(&DisplayErrorContext(&e).to_string()),
    })?;
    if profiles.get_profile(name).is_some() {
        return Ok(profiles);
    }
    let mut known: Vec<&str> = profiles.profiles().collect();
    known.sort_unstable();
    let known = match known.is_empty() {
        true => "there are no profiles".to_string(),
        false => format!("the profiles are: {}", known.join(", ")),
    };
    Err(AwsSetupError::NoSuchProfile {
        profile: name.to_string(),
        known,
    })
}

/// Resolves the credentials once (the SDK caches them for the calls to come), so that their
/// absence is said plainly instead of failing the first call.
async fn check_credentials(
    config: &SdkConfig,
    profile: Option<&str>,
    profiles: Option<&ProfileSet>,
) -> Result<(), AwsSetupError> {
    let where_ = profile.map_or(String::new(), |p| format!(" for profile `{p}`"));
    let Some(provider) = config.credentials_provider() else {
        return Err(AwsSetupError::NoCredentials { where_ });
    };
    let error = match provider.provide_credentials().await {
        Ok(_) => return Ok(()),
        Err(error) => error,
    };
    let uses_sso = profile
        .zip(profiles)
        .and_then(|(name, set)| set.get_profile(name))
        .is_some_and(|p| p.get("sso_session").is_some() || p.get("sso_start_url").is_some());
    Err(match (error, profile) {
        (_, Some(profile)) if uses_sso => AwsSetupError::SsoLogin {
            profile: profile.to_string(),
        },
        (CredentialsError::CredentialsNotLoaded(_), _) => AwsSetupError::NoCredentials { where_ },
        (error, _) => AwsSetupError::Credentials {
            where_,
            why: line(&DisplayErrorContext(&error).to_string()),
        },
    })
}
