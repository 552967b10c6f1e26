from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "klaster.accounts"
    label = "accounts"
