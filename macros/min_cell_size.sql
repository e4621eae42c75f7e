{#- Generic test: no published cell of an aggregated table is below the minimum size
    (statistical disclosure control). Zero counts are not published cells. -#}
{% test min_cell_size(model, column_name, min_size) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} > 0 and {{ column_name }} < {{ min_size }}
{% endtest %}
