from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks (`tsunagu bench …`). No models; product apps never import it."""

    name = "tsunagu.bench"
    label = "bench"
    verbose_name = "ベンチマーク"
