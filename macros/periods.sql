{#- Delivery periods from var('period') (YYYY-MM). A feed whose cadence is not monthly gets
    the period of its frequency that contains the month's last day. -#}

{% macro _period_month() -%}
  {%- set p = var('period') | string -%}
  {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', p) -%}
    {{ exceptions.raise_compiler_error("var 'period' must be a month YYYY-MM, not '" ~ p ~ "'") }}
  {%- endif -%}
  {{ return(p) }}
{%- endmacro %}

{% macro month_start() -%}
  cast('{{ _period_month() }}-01' as date)
{%- endmacro %}

{% macro month_end() -%}
  last_day({{ month_start() }})
{%- endmacro %}

{% macro period_start(frequency='monthly') -%}
  {%- if frequency == 'monthly' -%} {{ month_start() }}
  {%- elif frequency == 'quarterly' -%} cast(date_trunc('quarter', {{ month_end() }}) as date)
  {%- elif frequency == 'yearly' -%} cast(date_trunc('year', {{ month_end() }}) as date)
  {%- elif frequency == 'weekly' -%} cast(date_trunc('week', {{ month_end() }}) as date)
  {%- elif frequency == 'daily' -%} {{ month_end() }}
  {%- else -%} {{ exceptions.raise_compiler_error("unknown frequency " ~ frequency) }}
  {%- endif -%}
{%- endmacro %}

{% macro period_end(frequency='monthly') -%}
  {%- if frequency == 'monthly' or frequency == 'daily' -%} {{ month_end() }}
  {%- elif frequency == 'quarterly' -%}
    cast(date_trunc('quarter', {{ month_end() }}) + interval 3 month - interval 1 day as date)
  {%- elif frequency == 'yearly' -%} cast(date_trunc('year', {{ month_end() }}) + interval 1 year - interval 1 day as date)
  {%- elif frequency == 'weekly' -%} cast(date_trunc('week', {{ month_end() }}) + interval 6 day as date)
  {%- else -%} {{ exceptions.raise_compiler_error("unknown frequency " ~ frequency) }}
  {%- endif -%}
{%- endmacro %}

{#- An ISO week label YYYY-Www of a date expression. -#}
{% macro iso_week(expr) -%}
  (cast(isoyear({{ expr }}) as varchar) || '-W' || lpad(cast(week({{ expr }}) as varchar), 2, '0'))
{%- endmacro %}

{#- The month label YYYY-MM of a date expression. -#}
{% macro month_label(expr) -%}
  strftime({{ expr }}, '%Y-%m')
{%- endmacro %}

{#- Age in whole years on a day. -#}
{% macro age_at(birth, day) -%}
  cast(date_diff('year', {{ birth }}, {{ day }})
       - case when strftime({{ day }}, '%m%d') < strftime({{ birth }}, '%m%d') then 1 else 0 end
       as integer)
{%- endmacro %}
