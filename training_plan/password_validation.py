"""Password rules with Vietnamese messages where Django's catalogue has none."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length rule; its Vietnamese translation is missing in Django 5.2."""

    def get_error_message(self):
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self):
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."
