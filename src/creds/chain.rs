//! Picks the source of credentials for an account, in the documented order, and explains what
//! was looked at when none has any.

use std::path::PathBuf;
use std::sync::Arc;

use super::cache::{CachingProvider, Clock};
use super::container::{self, ContainerProvider};
use super::endpoint::{sts_endpoint, sts_region, Partition};
use super::error::CredsError;
use super::file::{CredsEntry, CredsFile};
use super::imds::ImdsProvider;
use super::process::ProcessProvider;
use super::shared::{CredentialSource, ProfilePlan, RoleBase, RoleSettings, SharedFiles};
use super::sts::{AssumeRoleProvider, Role, Sts};
use super::web_identity::{self, WebIdentityProvider};
use super::{env, var, warn_if_cleartext, Env, ProvideCredentials, StaticProvider};
use crate::http::TransportOptions;
use crate::sigv4::Credentials;

/// What every source needs to be built.
pub(crate) struct Chain<'a> {
    pub(crate) env: Env<'a>,
    pub(crate) transport: &'a TransportOptions,
    pub(crate) partition: Partition,
    pub(crate) clock: Clock,
}

impl Chain<'_> {
    /// The credentials of account `name`: the entry's own, else the first other source that
    /// has some (the AWS chain, and why it was used); with the entry's RoleArn assumed on top.
    pub(crate) fn account_credentials(
        &self,
        name: &str,
        creds_file: &CredsFile,
        entry: Option<&CredsEntry>,
    ) -> Result<(Arc<dyn ProvideCredentials>, Option<String>), CredsError> {
        let (base, chain_reason) = match entry
            .map(|entry| self.entry_source(entry))
            .transpose()?
            .flatten()
        {
            Some(base) => (base, None),
            None => {
                let reason = creds_file.chain_reason(name);
                (self.default_sources(name, reason.clone())?, Some(reason))
            }
        };
        let Some(entry) = entry.filter(|entry| entry.role_arn.is_some()) else {
            return Ok((Arc::from(base), chain_reason));
        };
        let role = Role {
            arn: entry.role_arn.clone().unwrap_or_default(),
            external_id: entry.external_id.clone(),
            session_name: None,
        };
        let sts = self.sts(entry.region.as_deref())?;
        let provider = self.cached(Box::new(AssumeRoleProvider { base, role, sts }));
        Ok((Arc::from(provider), chain_reason))
    }

    /// The entry's KeyId/SecretKey or Profile; `None` when it has neither.
    fn entry_source(
        &self,
        entry: &CredsEntry,
    ) -> Result<Option<Box<dyn ProvideCredentials>>, CredsError> {
        if let (Some(key_id), Some(secret)) = (&entry.key_id, &entry.secret_key) {
            return Ok(Some(Box::new(StaticProvider {
                credentials: Credentials {
                    access_key_id: key_id.clone(),
                    secret_access_key: secret.clone(),
                    session_token: entry.token.clone(),
                    expires_at: None,
                },
                source: format!("creds.json entry \"{}\" (KeyId)", entry.name),
            })));
        }
        let Some(profile) = &entry.profile else {
            return Ok(None);
        };
        let files = SharedFiles::load(self.env)?;
        files
            .plan(profile, true)?
            .map(|plan| self.provider_of(plan))
            .transpose()
    }

    /// Environment, shared files, web identity, container, and last instance metadata.
    fn default_sources(
        &self,
        name: &str,
        chain_reason: String,
    ) -> Result<Box<dyn ProvideCredentials>, CredsError> {
        let mut tried = vec![chain_reason];
        if let Some(keys) = env::keys(self.env)? {
            return Ok(Box::new(keys));
        }
        tried.push(env::ABSENCE.into());
        let files = SharedFiles::load(self.env)?;
        let (profile, explicitly) = match var(self.env, "AWS_PROFILE") {
            Some(profile) => (profile, true),
            None => ("default".to_string(), false),
        };
        if let Some(plan) = files.plan(&profile, explicitly)? {
            return self.provider_of(plan);
        }
        tried.push(files.absence(&profile));
        if let Some((token_file, role)) = web_identity::from_env(self.env)? {
            return self.web_identity(token_file, role, None);
        }
        tried.push(web_identity::ABSENCE.into());
        if let Some(container) = ContainerProvider::from_env(self.env)? {
            return Ok(self.cached(Box::new(container)));
        }
        tried.push(container::ABSENCE.into());
        match ImdsProvider::from_env(self.env)? {
            Ok(imds) => Ok(Box::new(LastResort {
                inner: self.cached(Box::new(imds)),
                entry: name.to_string(),
                tried,
            })),
            Err(reason) => {
                tried.push(reason);
                Err(CredsError::NoCredentials {
                    entry: name.to_string(),
                    tried,
                })
            }
        }
    }

    fn provider_of(&self, plan: ProfilePlan) -> Result<Box<dyn ProvideCredentials>, CredsError> {
        match plan {
            ProfilePlan::Static {
                credentials,
                source,
            } => Ok(Box::new(StaticProvider {
                credentials,
                source,
            })),
            ProfilePlan::Process {
                profile,
                command,
                source,
            } => Ok(self.cached(Box::new(ProcessProvider {
                profile,
                command,
                source,
            }))),
            ProfilePlan::AssumeRole { role, base } => {
                let base = match base {
                    RoleBase::CredentialSource(source) => self.credential_source(source, &role)?,
                    RoleBase::Profile(plan) => self.provider_of(*plan)?,
                };
                let sts = self.sts(role.region.as_deref())?;
                Ok(self.cached(Box::new(AssumeRoleProvider {
                    base,
                    role: role_of(&role),
                    sts,
                })))
            }
            ProfilePlan::WebIdentity { role, token_file } => {
                self.web_identity(token_file, role_of(&role), role.region.as_deref())
            }
        }
    }

    /// The source a profile's `credential_source` names.
    fn credential_source(
        &self,
        source: CredentialSource,
        role: &RoleSettings,
    ) -> Result<Box<dyn ProvideCredentials>, CredsError> {
        let unavailable = |problem: &str| CredsError::Profile {
            profile: role.profile.clone(),
            problem: problem.to_string(),
        };
        match source {
            CredentialSource::Environment => match env::keys(self.env)? {
                Some(keys) => Ok(Box::new(keys)),
                None => Err(unavailable(
                    "credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
                )),
            },
            CredentialSource::EcsContainer => match ContainerProvider::from_env(self.env)? {
                Some(container) => Ok(self.cached(Box::new(container))),
                None => Err(unavailable(
                    "credential_source = EcsContainer, but AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
                )),
            },
            CredentialSource::Ec2InstanceMetadata => match ImdsProvider::from_env(self.env)? {
                Ok(imds) => Ok(self.cached(Box::new(imds))),
                Err(reason) => Err(unavailable(&format!("credential_source = Ec2InstanceMetadata, but {reason}"))),
            },
        }
    }

    fn web_identity(
        &self,
        token_file: PathBuf,
        role: Role,
        region: Option<&str>,
    ) -> Result<Box<dyn ProvideCredentials>, CredsError> {
        let sts = self.sts(region)?;
        Ok(self.cached(Box::new(WebIdentityProvider {
            token_file,
            role,
            sts,
        })))
    }

    fn sts(&self, region: Option<&str>) -> Result<Sts, CredsError> {
        let region = sts_region(self.env, region, self.partition);
        let endpoint = sts_endpoint(&region, self.env)?;
        warn_if_cleartext(&endpoint);
        Ok(Sts {
            endpoint,
            transport: self.transport.clone(),
        })
    }

    fn cached(&self, provider: Box<dyn ProvideCredentials>) -> Box<dyn ProvideCredentials> {
        Box::new(CachingProvider::new(provider, self.clock.clone()))
    }
}

fn role_of(settings: &RoleSettings) -> Role {
    Role {
        arn: settings.role_arn.clone(),
        external_id: settings.external_id.clone(),
        session_name: settings.session_name.clone(),
    }
}

/// Instance metadata, tried when nothing else had credentials: its failure is reported as
/// "no credentials", with everything that was looked at.
struct LastResort {
    inner: Box<dyn ProvideCredentials>,
    entry: String,
    tried: Vec<String>,
}

impl ProvideCredentials for LastResort {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        self.inner.credentials().map_err(|error| {
            let mut tried = self.tried.clone();
            tried.push(format!("EC2 instance metadata (tried last): {error}"));
            CredsError::NoCredentials {
                entry: self.entry.clone(),
                tried,
            }
        })
    }

    fn source(&self) -> String {
        self.inner.source()
    }
}
