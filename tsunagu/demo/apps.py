from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo council (`tsunagu demo`). No models; product apps never import it."""

    name = "tsunagu.demo"
    label = "demo"
    verbose_name = "デモデータ"

    def ready(self) -> None:
        # `tsunagu start` marks every page of a database that holds only the demo; core
        # asks through its registry, since product apps import nothing from here.
        from tsunagu.core import demo_mode
        from tsunagu.demo.directory import accounts_not_of_the_demo

        demo_mode.register(lambda: not accounts_not_of_the_demo())
