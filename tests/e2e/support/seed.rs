//! Seeding moto accounts through the real SDK, and moving the scan's clock.

use super::moto::Account;

/// An IAM user with, optionally, a console password and some access keys.
pub async fn user(account: &Account, name: &str, console_password: bool, access_keys: usize) {
    let iam = account.iam();
    iam.create_user().user_name(name).send().await.unwrap();
    if console_password {
        iam.create_login_profile()
            .user_name(name)
            .password("A-long-enough-passw0rd!")
            .send()
            .await
            .unwrap();
    }
    for _ in 0..access_keys {
        iam.create_access_key()
            .user_name(name)
            .send()
            .await
            .unwrap();
    }
}

/// Creates a virtual MFA device and enables it for `user`.
pub async fn enable_virtual_mfa(account: &Account, user: &str) {
    let iam = account.iam();
    let device = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name(user)
        .send()
        .await
        .unwrap();
    let serial = device
        .virtual_mfa_device()
        .unwrap()
        .serial_number()
        .to_string();
    iam.enable_mfa_device()
        .user_name(user)
        .serial_number(serial)
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await
        .unwrap();
}

/// `--now` this many days after the present: moto cannot backdate keys or
/// sign-ins, so age-based tests move the scan's clock forward instead.
pub fn days_from_now(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    format!("@{}", now + days * 86_400)
}
