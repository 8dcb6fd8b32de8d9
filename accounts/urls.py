from django.urls import path

from accounts import key_views, profile_views, security_views, token_views, views

app_name = "accounts"
urlpatterns = [
    path("signin/", views.signin, name="signin"),
    path("signin/code/", views.signin_otp, name="signin_otp"),
    path("signout/", views.signout, name="signout"),
    path("profile/", profile_views.profile, name="profile"),
    path("profile/fields/<str:name>/", profile_views.profile_field_edit, name="profile_field"),
    path("profile/newsletter/", profile_views.newsletter_set, name="newsletter"),
    path("profile/preferences/", profile_views.preferences_set, name="preferences"),
    path("authentication/", security_views.authentication, name="authentication"),
    path("authentication/password/", security_views.password_change, name="password"),
    path("authentication/2fa/enable/", security_views.tfa_enable, name="tfa_enable"),
    path("authentication/2fa/confirm/", security_views.tfa_confirm, name="tfa_confirm"),
    path("authentication/2fa/cancel/", security_views.tfa_cancel, name="tfa_cancel"),
    path("authentication/2fa/disable/", security_views.tfa_disable, name="tfa_disable"),
    path("authentication/delete/", security_views.account_delete, name="delete"),
    path("authentication/delete/confirm/", security_views.account_deletion_confirm, name="delete_confirm"),
    path("authentication/delete/cancel/", security_views.account_deletion_cancel, name="delete_cancel"),
    path("goodbye/", security_views.goodbye, name="goodbye"),
    path("ssh-keys/", key_views.ssh_keys, name="ssh_keys"),
    path("ssh-keys/add/", key_views.ssh_key_add, name="ssh_key_add"),
    path("ssh-keys/<str:key_id>/delete/", key_views.ssh_key_delete, name="ssh_key_delete"),
    path("api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("api-tokens/create/", token_views.api_token_create, name="api_token_create"),
    path("api-tokens/<str:token_id>/renew/", token_views.api_token_renew, name="api_token_renew"),
    path("api-tokens/<str:token_id>/delete/", token_views.api_token_delete, name="api_token_delete"),
]
