"""The rules of domain.md, one module each, and the registry the match run walks."""

from __future__ import annotations

from hexiao.rules.adopted import AdoptedRule
from hexiao.rules.age_invalid import AgeInvalidRule
from hexiao.rules.age_out import AgeOutRule
from hexiao.rules.bad_household import BadHouseholdRule
from hexiao.rules.bad_id import BadIdRule
from hexiao.rules.base import Rule
from hexiao.rules.business import BusinessRule
from hexiao.rules.deceased import DeceasedRule
from hexiao.rules.duplicate import DuplicateRule
from hexiao.rules.guardian_returned import GuardianReturnedRule
from hexiao.rules.income import GradualExitRule, IncomeRule
from hexiao.rules.omission import OmissionRule
from hexiao.rules.property import PropertyRule
from hexiao.rules.public_employee import PublicEmployeeRule
from hexiao.rules.vehicle import VehicleRule

# Order is the order of the reports: the most urgent first.
REGISTRY: tuple[Rule, ...] = (
    DeceasedRule(),
    AdoptedRule(),
    GuardianReturnedRule(),
    DuplicateRule(),
    PublicEmployeeRule(),
    AgeOutRule(),
    VehicleRule(),
    PropertyRule(),
    BusinessRule(),
    IncomeRule(),
    GradualExitRule(),
    OmissionRule(),
    AgeInvalidRule(),
    BadIdRule(),
    BadHouseholdRule(),
)

LABELS = {rule.code: rule.label for rule in REGISTRY}
# Each rule's [rules.<section>] in hexiao.toml and the dataclass of its parameters (`settings`).
# (INCOME and GRADUAL_EXIT share one section: listed once.)
RULE_SECTIONS = tuple(dict.fromkeys((rule.section, rule.params_type) for rule in REGISTRY))

__all__ = ["LABELS", "REGISTRY", "RULE_SECTIONS", "Rule"]
