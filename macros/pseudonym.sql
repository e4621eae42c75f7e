{#- The keyed pseudonym of a CPR number: lowercase hex sha256(key || cpr), 64 characters.
    The key is var('pseudonym_key'); production overrides the demo default. -#}
{% macro pseudonym(cpr) -%}
  sha256('{{ var("pseudonym_key") }}' || {{ cpr }})
{%- endmacro %}
