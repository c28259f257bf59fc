"""CloudWatch metric alarms.

What CloudFormation does
  AWS::CloudWatch::Alarm puts a metric alarm (a single metric, or `Metrics`
  math queries).  Ref returns the alarm name (generated as
  `<stack>-<LogicalId>-<SUFFIX>` when AlarmName is absent); GetAtt Arn returns
  `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`.  Everything but the
  name updates in place.

What moto 5.2.1 does instead
  It models AWS::CloudWatch::Dashboard but not alarms: they are skipped.

This model calls moto's cloudwatch backend `put_metric_alarm`, so
`cloudwatch.describe_alarms` lists the alarm.
"""

from __future__ import annotations

from typing import Any

from moto.cloudwatch.models import Dimension, Metric, MetricDataQuery, MetricStat, cloudwatch_backends
from moto.core.common_models import CloudFormationModel

from ._base import CfnResource, props


def _backend(account_id: str, region_name: str) -> Any:
    return cloudwatch_backends[account_id][region_name]


def _metric_queries(metrics: list[dict] | None) -> list[MetricDataQuery] | None:
    """The template's `Metrics` as the backend's objects (what its PutMetricAlarm handler builds)."""
    if not metrics:
        return None
    queries = []
    for query in metrics:
        stat = query.get("MetricStat")
        metric_stat = None
        if stat:
            metric = stat["Metric"]
            dimensions = [Dimension(d["Name"], d["Value"]) for d in metric.get("Dimensions") or []]
            metric_stat = MetricStat(
                Metric(metric["MetricName"], metric.get("Namespace"), dimensions),
                stat.get("Period"),
                stat.get("Stat"),
                stat.get("Unit"),
            )
        queries.append(
            MetricDataQuery(
                query_id=query["Id"],
                label=query.get("Label"),
                period=query.get("Period"),
                return_data=query.get("ReturnData"),
                expression=query.get("Expression"),
                metric_stat=metric_stat,
            )
        )
    return queries


class Alarm(CfnResource, CloudFormationModel):
    ATTRIBUTES = {"Arn": "arn"}

    def __init__(self, alarm: Any):
        self.alarm = alarm

    arn = property(lambda self: self.alarm.alarm_arn)
    physical_resource_id = property(lambda self: self.alarm.name)

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AlarmName"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = props(cloudformation_json)
        threshold = p.get("Threshold")
        alarm = _backend(account_id, region_name).put_metric_alarm(
            name=resource_name,
            namespace=p.get("Namespace"),
            metric_name=p.get("MetricName"),
            comparison_operator=p["ComparisonOperator"],
            evaluation_periods=int(p["EvaluationPeriods"]),
            period=p.get("Period"),
            threshold=None if threshold is None else float(threshold),
            statistic=p.get("Statistic"),
            description=p.get("AlarmDescription"),
            dimensions=p.get("Dimensions") or [],
            alarm_actions=p.get("AlarmActions") or [],
            metric_data_queries=_metric_queries(p.get("Metrics")),
            datapoints_to_alarm=p.get("DatapointsToAlarm"),
            extended_statistic=p.get("ExtendedStatistic"),
            ok_actions=p.get("OKActions") or [],
            insufficient_data_actions=p.get("InsufficientDataActions") or [],
            unit=p.get("Unit"),
            actions_enabled=str(p.get("ActionsEnabled", True)).lower() == "true",
            treat_missing_data=p.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=p.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=p.get("ThresholdMetricId"),
            tags=p.get("Tags"),
        )
        return cls(alarm)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls, original_resource: Any, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
    ) -> Any:
        # moto makes up a new name on every update; without AlarmName the alarm keeps its own.
        name = props(cloudformation_json).get("AlarmName") or original_resource.alarm.name
        replacement = cls.create_from_cloudformation_json(name, cloudformation_json, account_id, region_name)
        if replacement.alarm.name != original_resource.alarm.name:
            original_resource.delete(account_id, region_name)
        return replacement

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(account_id, region_name).delete_alarms([self.alarm.name])
